namespace TcpScope.Decode;

/// <summary>
/// One row of drops --count: the drops of one (netns, reason, location, receiving socket's state)
/// over an interval (<see cref="Count"/>) and since the start (<see cref="Total"/>).
/// </summary>
/// <param name="ReasonNumber">The kernel's skb_drop_reason number; -1 when the kernel gives none.</param>
/// <param name="Reason">Its name without prefix from the kernel's BTF; null when unknown.</param>
/// <param name="State">The receiving socket's state; null when no socket received the segment, or when the kernel does not say (<paramref name="SocketUnknown"/>).</param>
/// <param name="RatePerSecond">Count over the span's seconds.</param>
/// <param name="SocketUnknown">The kernel does not say which socket received these segments (kfree_skb before 6.11's rx_sk).</param>
public sealed record DropCountRow(
    uint NetNs,
    int ReasonNumber,
    string? Reason,
    ulong Location,
    TcpState? State,
    ulong Count,
    ulong Total,
    double RatePerSecond,
    bool SocketUnknown = false);
