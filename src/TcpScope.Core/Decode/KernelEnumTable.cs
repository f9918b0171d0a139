namespace TcpScope.Decode;

/// <summary>
/// One kernel enum as the kernel numbers it: member names with their values, as BTF gives them
/// ("TCP_ESTABLISHED" = 1). A recording keeps these so that it decodes by name on any host.
/// </summary>
/// <param name="Name">Which enum: <see cref="TcpStates"/>, <see cref="ResetReasons"/> or <see cref="DropReasons"/>.</param>
public sealed record KernelEnumTable(string Name, IReadOnlyList<KeyValuePair<long, string>> Members)
{
    /// <summary>The anonymous enum of tcp_states.h (TCP_ESTABLISHED ...).</summary>
    public const string TcpStates = "tcp_states";

    /// <summary><c>enum sk_rst_reason</c> (6.10+).</summary>
    public const string ResetReasons = "sk_rst_reason";

    /// <summary><c>enum skb_drop_reason</c> (5.17+), for the drops family.</summary>
    public const string DropReasons = "skb_drop_reason";
}
