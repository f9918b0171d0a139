using System.Text.Json.Serialization;
using TcpScope.Decode;
using TcpScope.Decode.Abi;
using TcpScope.Output;

namespace TcpScope.Records;

/// <summary>
/// A reset the kernel sent ("type":"reset"), a line of `drops --json`: the segment it answers
/// (saddr is that segment's sender, who gets the RST), the socket that sent it, if any, and why.
/// </summary>
public sealed record ResetRecord : IOutputRecord
{
    [JsonPropertyOrder(RecordSchema.TypeOrder)]
    public string Type => "reset";

    [JsonPropertyOrder(RecordSchema.SchemaOrder)]
    public int Schema => RecordSchema.Version;

    [JsonPropertyName("ts_ns")]
    public long TsNs { get; init; }

    public WallTime Time { get; init; }

    public uint Netns { get; init; }

    /// <summary>The sk_rst_reason name without prefix; null before 6.10 (no reason) or when unknown.</summary>
    public string? Reason { get; init; }

    public int ReasonCode { get; init; }

    public required string Family { get; init; }

    /// <summary>False for a socket aborting on its own (no segment): the addresses are then the socket's, the peer as saddr.</summary>
    public bool Answers { get; init; }

    public IpAddressValue Saddr { get; init; }

    public ushort Sport { get; init; }

    public IpAddressValue Daddr { get; init; }

    public ushort Dport { get; init; }

    /// <summary>The answered segment's flags; null when it answers none.</summary>
    public string? Flags { get; init; }

    /// <summary>The answered segment's numbers and timestamp option; null when it answers none (or carries no timestamp).</summary>
    public uint? Seq { get; init; }

    public uint? Ack { get; init; }

    public uint? Tsval { get; init; }

    public uint? Tsecr { get; init; }

    /// <summary>Bytes of payload in the answered segment; null when it answers none.</summary>
    public uint? Payload { get; init; }

    public TcpState? State { get; init; }

    public KernelPointer? Skaddr { get; init; }

    public uint? Pid { get; init; }

    public Comm? Comm { get; init; }

    public required string Explanation { get; init; }

    public static ResetRecord From(in PacketDrop e, WallClock clock) => new()
    {
        TsNs = e.TimestampNs,
        Time = clock.At(e.TimestampNs),
        Netns = e.NetNs,
        Reason = e.Reason,
        ReasonCode = e.ReasonNumber,
        Family = StateRecord.FamilyName(e.Family),
        Answers = e.HasPacket,
        Saddr = new IpAddressValue(e.Family, e.SourceAddress),
        Sport = e.SourcePort,
        Daddr = new IpAddressValue(e.Family, e.DestinationAddress),
        Dport = e.DestinationPort,
        Flags = e.HasPacket ? TcpFlagsText.Of(e.TcpFlags) : null,
        Seq = e.HasPacket ? e.Seq : null,
        Ack = e.HasPacket ? e.Ack : null,
        Tsval = e.HasPacket && e.HasTimestamp ? e.TsVal : null,
        Tsecr = e.HasPacket && e.HasTimestamp ? e.TsEcr : null,
        Payload = e.HasPacket ? e.Payload : null,
        State = e.HasSocket ? e.State : null,
        Skaddr = e.HasSocket ? new KernelPointer(e.Socket) : null,
        Pid = e.OwnerKnown ? e.OwnerPid : null,
        Comm = e.OwnerKnown ? e.OwnerComm : null,
        Explanation = DropText.Describe(e, ""),
    };
}
