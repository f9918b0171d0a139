using TcpScope.Decode;

namespace TcpScope.Sources;

/// <summary>Which sockets to report; applied in the kernel. Empty/zero fields do not filter.</summary>
public sealed record StatesFilter
{
    /// <summary>The kernel program has room for this many ports per direction.</summary>
    public const int MaxPorts = 8;

    /// <summary>The kernel's reason filter holds reason numbers below this (a bitmap of TS_DROP_REASON_WORDS 64-bit words).</summary>
    public const int DropReasonLimit = 256;

    public AddressFamilyKind Family { get; init; }

    public uint NetNs { get; init; }

    /// <summary>Owner process (see <see cref="StateChange.Pid"/>).</summary>
    public uint Pid { get; init; }

    public IReadOnlyList<ushort> LocalPorts { get; init; } = [];

    public IReadOnlyList<ushort> RemotePorts { get; init; } = [];

    /// <summary>Owner's command name (the kernel's comm, at most 15 bytes); null does not filter.</summary>
    public string? Comm { get; init; }

    /// <summary>The drops family: only these <c>enum skb_drop_reason</c> numbers (this kernel's), and no resets; empty does not filter.</summary>
    public IReadOnlyList<int> DropReasons { get; init; } = [];
}
