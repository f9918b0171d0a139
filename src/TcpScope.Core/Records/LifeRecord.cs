using System.Text.Json.Serialization;
using TcpScope.Correlation;
using TcpScope.Output;

namespace TcpScope.Records;

/// <summary>A connection opened ("type":"life", "event":"connect" or "accept") with its handshake time or time waiting for accept().</summary>
public sealed record LifeRecord : ConnectionRecord
{
    public LifeRecord(LifeEventKind kind, long timestampNs, WallClock clock, Connection c)
        : base("life", timestampNs, clock, c)
    {
        Event = kind;
        switch (kind)
        {
            case LifeEventKind.Connect when c.EstablishedNs is long e && c.ConnectStartNs is long s:
                HandshakeMs = Durations.Ms(e - s);
                break;
            case LifeEventKind.Accept when c.AcceptedNs is long a && c.EstablishedNs is long e:
                AcceptWaitMs = Durations.Ms(a - e);
                break;
        }
    }

    [JsonPropertyOrder(-50)]
    public LifeEventKind Event { get; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? HandshakeMs { get; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? AcceptWaitMs { get; }
}
