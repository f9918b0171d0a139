using System.Text.Json.Serialization;
using TcpScope.Decode;
using TcpScope.Decode.Abi;
using TcpScope.Output;

namespace TcpScope.Records;

/// <summary>
/// One TCP segment the kernel threw away ("type":"drop"), the line of `drops --json`: the
/// segment as received (saddr is its sender), the socket that received it, its owner, and the
/// plain words of the text output.
/// </summary>
public sealed record DropRecord : IOutputRecord
{
    [JsonPropertyOrder(RecordSchema.TypeOrder)]
    public string Type => "drop";

    [JsonPropertyOrder(RecordSchema.SchemaOrder)]
    public int Schema => RecordSchema.Version;

    [JsonPropertyName("ts_ns")]
    public long TsNs { get; init; }

    public WallTime Time { get; init; }

    public uint Netns { get; init; }

    /// <summary>The skb_drop_reason name without prefix; null when this kernel gives none (or the number is unknown).</summary>
    public string? Reason { get; init; }

    /// <summary>The kernel's number for it (numbers differ between kernels: the name is the stable key); -1 when none.</summary>
    public int ReasonCode { get; init; }

    /// <summary>"tcp_v4_rcv+0x4e5", or the address when names are not available.</summary>
    public required string Location { get; init; }

    public required string Family { get; init; }

    public IpAddressValue Saddr { get; init; }

    public ushort Sport { get; init; }

    public IpAddressValue Daddr { get; init; }

    public ushort Dport { get; init; }

    /// <summary>"S", "SA", "A", "R", "FA", "PA"...</summary>
    public required string Flags { get; init; }

    public uint Seq { get; init; }

    public uint Ack { get; init; }

    public uint? Tsval { get; init; }

    public uint? Tsecr { get; init; }

    public uint Payload { get; init; }

    /// <summary>The receiving socket's state; null when no socket received it.</summary>
    public TcpState? State { get; init; }

    public KernelPointer? Skaddr { get; init; }

    /// <summary>The owner of the receiving socket (or of the listener on its port); null when unknown.</summary>
    public uint? Pid { get; init; }

    public Comm? Comm { get; init; }

    public ListenerQueuesValue? Listener { get; init; }

    public TimeWaitValue? Timewait { get; init; }

    public required string Explanation { get; init; }

    public string? Remedy { get; init; }

    /// <summary>The kernel stack where it was dropped (--stacks), innermost first; null without.</summary>
    public IReadOnlyList<string>? Stack { get; init; }

    public static DropRecord From(in PacketDrop e, WallClock clock, string location) => new()
    {
        TsNs = e.TimestampNs,
        Time = clock.At(e.TimestampNs),
        Netns = e.NetNs,
        Reason = e.Reason,
        ReasonCode = e.ReasonNumber,
        Location = location,
        Family = StateRecord.FamilyName(e.Family),
        Saddr = new IpAddressValue(e.Family, e.SourceAddress),
        Sport = e.SourcePort,
        Daddr = new IpAddressValue(e.Family, e.DestinationAddress),
        Dport = e.DestinationPort,
        Flags = TcpFlagsText.Of(e.TcpFlags),
        Seq = e.Seq,
        Ack = e.Ack,
        Tsval = e.HasTimestamp ? e.TsVal : null,
        Tsecr = e.HasTimestamp ? e.TsEcr : null,
        Payload = e.Payload,
        State = e.HasSocket ? e.State : null,
        Skaddr = e.HasSocket ? new KernelPointer(e.Socket) : null,
        Pid = e.OwnerKnown ? e.OwnerPid : null,
        Comm = e.OwnerKnown ? e.OwnerComm : null,
        Listener = e.HasListenerQueues ? new ListenerQueuesValue(e.AckBacklog, e.MaxAckBacklog, e.SynQueueLength) : null,
        Timewait = TimeWaitValue.Of(e),
        Explanation = DropText.Describe(e, location),
        Remedy = DropReasonTable.Find(e.Reason)?.Remedy,
    };
}
