using System.Text.Json.Serialization;
using TcpScope.Decode;
using TcpScope.Decode.Abi;

namespace TcpScope.Records;

/// <summary>
/// One TCP state transition ("type":"state"), the line of `states --json`. A value type whose
/// fields stay bytes until written, so that a line allocates nothing.
/// </summary>
public readonly record struct StateRecord : IOutputRecord
{
    [JsonPropertyOrder(RecordSchema.TypeOrder)]
    public string Type => "state";

    [JsonPropertyOrder(RecordSchema.SchemaOrder)]
    public int Schema => RecordSchema.Version;

    /// <summary>CLOCK_MONOTONIC, as the kernel stamped the event.</summary>
    [JsonPropertyName("ts_ns")]
    public long TsNs { get; init; }

    public WallTime Time { get; init; }

    public uint Netns { get; init; }

    public KernelPointer Skaddr { get; init; }

    /// <summary>The owner when known (<see cref="OwnerKnown"/>), else the task on the CPU.</summary>
    public uint Pid { get; init; }

    public Comm Comm { get; init; }

    public bool OwnerKnown { get; init; }

    public uint TaskPid { get; init; }

    public Comm TaskComm { get; init; }

    /// <summary>"ipv4" or "ipv6".</summary>
    public string Family { get; init; }

    public IpAddressValue Laddr { get; init; }

    public ushort Lport { get; init; }

    public IpAddressValue Raddr { get; init; }

    public ushort Rport { get; init; }

    public TcpState Oldstate { get; init; }

    public TcpState Newstate { get; init; }

    /// <summary>Time spent in the old state; null when it began before tracing started.</summary>
    public double? Ms { get; init; }

    public static StateRecord From(in StateChange e, WallClock clock) => new()
    {
        TsNs = e.TimestampNs,
        Time = clock.At(e.TimestampNs),
        Netns = e.NetNs,
        Skaddr = new KernelPointer(e.Socket),
        Pid = e.Pid,
        Comm = e.ProcessComm,
        OwnerKnown = e.OwnerKnown,
        TaskPid = e.TaskPid,
        TaskComm = e.TaskComm,
        Family = FamilyName(e.Family),
        Laddr = new IpAddressValue(e.Family, e.LocalAddress),
        Lport = e.LocalPort,
        Raddr = new IpAddressValue(e.Family, e.RemoteAddress),
        Rport = e.RemotePort,
        Oldstate = e.OldState,
        Newstate = e.NewState,
        Ms = e.DeltaKnown ? Durations.Ms(e.DeltaNs) : null,
    };

    public static string FamilyName(AddressFamilyKind f) => f == AddressFamilyKind.IPv6 ? "ipv6" : "ipv4";
}
