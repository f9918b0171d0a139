using System.Text.Json.Serialization;
using TcpScope.Correlation;

namespace TcpScope.Records;

/// <summary>
/// What `life` and `connect` records say about the connection: when, whose, between which
/// endpoints. These fields follow "type" and "schema" (and a life record's "event") in every such record.
/// </summary>
public abstract record ConnectionRecord : IOutputRecord
{
    protected ConnectionRecord(string type, long timestampNs, WallClock clock, Connection c)
    {
        Type = type;
        TsNs = timestampNs;
        Time = clock.At(timestampNs);
        Netns = c.NetNs;
        Skaddr = new KernelPointer(c.Socket);
        bool known = c.OwnerSource != OwnerSource.Unknown;
        Pid = known ? c.OwnerPid : null;
        Comm = known ? c.OwnerComm : null;
        OwnerFrom = c.OwnerSource;
        Family = StateRecord.FamilyName(c.Family);
        Laddr = new IpAddressValue(c.Family, c.LocalAddress);
        Lport = c.LocalPort;
        Raddr = new IpAddressValue(c.Family, c.RemoteAddress);
        Rport = c.RemotePort;
    }

    [JsonPropertyOrder(RecordSchema.TypeOrder)]
    public string Type { get; }

    [JsonPropertyOrder(RecordSchema.SchemaOrder)]
    public int Schema => RecordSchema.Version;

    [JsonPropertyOrder(-20)]
    [JsonPropertyName("ts_ns")]
    public long TsNs { get; }

    [JsonPropertyOrder(-19)]
    public WallTime Time { get; }

    [JsonPropertyOrder(-18)]
    public uint Netns { get; }

    [JsonPropertyOrder(-17)]
    public KernelPointer Skaddr { get; }

    /// <summary>The owning process; null when not known (a socket older than the trace).</summary>
    [JsonPropertyOrder(-16)]
    public uint? Pid { get; }

    [JsonPropertyOrder(-15)]
    public string? Comm { get; }

    [JsonPropertyOrder(-14)]
    public OwnerSource OwnerFrom { get; }

    [JsonPropertyOrder(-13)]
    public string Family { get; }

    [JsonPropertyOrder(-12)]
    public IpAddressValue Laddr { get; }

    [JsonPropertyOrder(-11)]
    public ushort Lport { get; }

    [JsonPropertyOrder(-10)]
    public IpAddressValue Raddr { get; }

    [JsonPropertyOrder(-9)]
    public ushort Rport { get; }
}
