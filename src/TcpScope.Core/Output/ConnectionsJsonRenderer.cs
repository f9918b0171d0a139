using System.Text.Json;
using TcpScope.Correlation;
using TcpScope.Decode;
using TcpScope.Diagnosis;

namespace TcpScope.Output;

/// <summary>
/// `life` ("type":"life") and `connect` ("type":"connect", then "type":"connect_summary") as
/// JSON lines, with findings and the closing summary like every verb. Times are the event's.
/// </summary>
public sealed class ConnectionsJsonRenderer(Stream output, long wallOffsetNs) : IConnectionRenderer
{
    private readonly JsonLines lines = new(output, wallOffsetNs);

    public void WriteHeader()
    {
    }

    public void WriteLife(LifeEventKind kind, long timestampNs, Connection c)
    {
        Utf8JsonWriter j = lines.Json;
        j.WriteStartObject();
        j.WriteString("type"u8, "life"u8);
        j.WriteString("event"u8, kind switch { LifeEventKind.Connect => "connect"u8, LifeEventKind.Accept => "accept"u8, _ => "close"u8 });
        lines.WriteTime(timestampNs);
        WriteConnection(j, c);
        switch (kind)
        {
            case LifeEventKind.Connect when c.EstablishedNs is long e && c.ConnectStartNs is long s:
                j.WriteNumber("handshake_ms"u8, Ms(e - s));
                break;
            case LifeEventKind.Accept when c.AcceptedNs is long a && c.EstablishedNs is long e:
                j.WriteNumber("accept_wait_ms"u8, Ms(a - e));
                break;
            case LifeEventKind.Close:
                // a socket older than the trace, or whose record ends early: only the time it was seen
                if (ConnectionText.LifetimeKnown(c))
                {
                    j.WriteNumber("lifetime_ms"u8, Ms(c.LifetimeNs(timestampNs)));
                }
                else
                {
                    j.WriteNull("lifetime_ms"u8);
                    j.WriteNumber("seen_ms"u8, Ms(c.LifetimeNs(timestampNs)));
                }

                j.WriteBoolean("open_seen"u8, c.OpenSeen);
                j.WriteBoolean("complete"u8, !c.Incomplete);
                j.WriteBoolean("start_lost"u8, c.StartLost);
                j.WriteBoolean("end_lost"u8, c.EndLost);
                if (c.Totals is { } t)
                {
                    j.WriteNumber("bytes_sent"u8, c.BytesSent ?? 0);
                    j.WriteNumber("bytes_received"u8, c.BytesReceived ?? 0);
                    j.WriteNumber("retransmits"u8, t.Retransmits);
                    j.WriteNumber("srtt_us"u8, t.SmoothedRttUs);
                }

                j.WriteStartArray("path"u8);
                foreach (TcpState s in c.Path)
                {
                    j.WriteStringValue(StateNames.Of(s));
                }

                j.WriteEndArray();
                if (c.ResetReceivedIn is TcpState rin)
                {
                    j.WriteString("reset_received_in"u8, StateNames.Of(rin));
                }
                else
                {
                    j.WriteNull("reset_received_in"u8);
                }

                j.WriteNumber("resets_sent"u8, c.ResetsSent);
                j.WriteString("reset_sent_reason"u8, c.LastResetReason);
                if (c.SocketError is int err && err != 0)
                {
                    j.WriteNumber("errno"u8, err);
                    j.WriteString("error"u8, Interop.Errors.Name(err));
                }
                else
                {
                    j.WriteNull("errno"u8);
                }

                break;
        }

        j.WriteEndObject();
        lines.EndLine();
    }

    public void WriteAttempt(ConnectAttempt a, AttemptStacks? stacks)
    {
        Utf8JsonWriter j = lines.Json;
        Connection c = a.Connection;
        j.WriteStartObject();
        j.WriteString("type"u8, "connect"u8);
        lines.WriteTime(a.StartNs);
        WriteConnection(j, c);
        j.WriteString("outcome"u8, ConnectionText.OutcomeId(a.Outcome));
        j.WriteNumber("duration_ms"u8, Ms(a.DurationNs));
        j.WriteStartArray("syn_retransmits_s"u8);
        foreach (long o in a.SynRetransmitOffsetsNs)
        {
            j.WriteNumberValue(Math.Round(o / 1e9, 6));
        }

        j.WriteEndArray();
        if (a.Error is int err)
        {
            j.WriteNumber("errno"u8, err);
            j.WriteString("error"u8, Interop.Errors.Name(err));
        }
        else
        {
            j.WriteNull("errno"u8);
            j.WriteNull("error"u8);
        }

        if (c.ConnectReturn is int ret)
        {
            j.WriteNumber("connect_return"u8, ret);
        }

        if (c.Icmp is IcmpError icmp)
        {
            j.WriteStartObject("icmp"u8);
            j.WriteString("from"u8, icmp.OffenderText);
            j.WriteNumber("type"u8, icmp.Type);
            j.WriteNumber("code"u8, icmp.Code);
            j.WriteString("text"u8, icmp.Description);
            j.WriteNumber("errno"u8, icmp.Error);
            j.WriteEndObject();
        }
        else
        {
            j.WriteNull("icmp"u8);
        }

        j.WriteNumber("resets_sent_to_bad_ack"u8, c.ResetsSentInSynSent);
        if (stacks is not null)
        {
            WriteFrames(j, "kernel_stack"u8, stacks.Kernel);
            WriteFrames(j, "user_stack"u8, stacks.User);
            if (stacks.UserNote is not null)
            {
                j.WriteString("user_stack_note"u8, stacks.UserNote);
            }
        }

        j.WriteEndObject();
        lines.EndLine();
    }

    public void WriteConnectSummary(ConnectSummary s)
    {
        Utf8JsonWriter j = lines.Json;
        j.WriteStartObject();
        j.WriteString("type"u8, "connect_summary"u8);
        WriteStats(j, s.All);
        j.WriteStartArray("destinations"u8);
        foreach (DestinationStats d in s.Destinations)
        {
            j.WriteStartObject();
            j.WriteString("remote"u8, d.Remote);
            j.WriteNumber("netns"u8, d.NetNs);
            WriteStats(j, d);
            j.WriteEndObject();
        }

        j.WriteEndArray();
        j.WriteNumber("other_destinations_attempts"u8, s.Others);
        j.WriteEndObject();
        lines.EndLine();
    }

    public void WriteFinding(Finding finding) => lines.WriteFinding(finding);

    public void WriteSummary(RunSummary summary) => lines.WriteSummary(summary);

    public void Flush() => lines.Flush();

    public void Dispose() => lines.Dispose();

    private static double Ms(long ns) => Math.Round(ns / 1e6, 3);

    private static void WriteConnection(Utf8JsonWriter j, Connection c)
    {
        j.WriteNumber("netns"u8, c.NetNs);
        j.WriteString("skaddr"u8, $"0x{c.Socket:x16}");
        if (c.OwnerSource == OwnerSource.Unknown)
        {
            j.WriteNull("pid"u8);
            j.WriteNull("comm"u8);
        }
        else
        {
            j.WriteNumber("pid"u8, c.OwnerPid);
            j.WriteString("comm"u8, c.OwnerComm);
        }

        j.WriteString("owner_from"u8, ConnectionText.OwnerSourceId(c.OwnerSource));
        j.WriteString("family"u8, c.Family == AddressFamilyKind.IPv6 ? "ipv6"u8 : "ipv4"u8);
        j.WriteString("laddr"u8, AddressText.ToString(c.Family, c.LocalAddress));
        j.WriteNumber("lport"u8, c.LocalPort);
        j.WriteString("raddr"u8, AddressText.ToString(c.Family, c.RemoteAddress));
        j.WriteNumber("rport"u8, c.RemotePort);
    }

    private static void WriteStats(Utf8JsonWriter j, DestinationStats d)
    {
        j.WriteNumber("attempts"u8, d.Attempts);
        j.WriteNumber("failures"u8, d.Failures);
        j.WriteNumber("syn_retransmits"u8, d.SynRetransmits);
        j.WriteStartObject("outcomes"u8);
        foreach (ConnectOutcome o in Enum.GetValues<ConnectOutcome>())
        {
            j.WriteNumber(ConnectionText.OutcomeId(o), d.Count(o));
        }

        j.WriteEndObject();
        WriteLatency(j, "handshake_p50_ms"u8, d.HandshakesNs.Percentile(50));
        WriteLatency(j, "handshake_p99_ms"u8, d.HandshakesNs.Percentile(99));
    }

    private static void WriteLatency(Utf8JsonWriter j, ReadOnlySpan<byte> name, long? ns)
    {
        if (ns is long v)
        {
            j.WriteNumber(name, Ms(v));
        }
        else
        {
            j.WriteNull(name);
        }
    }

    private static void WriteFrames(Utf8JsonWriter j, ReadOnlySpan<byte> name, IReadOnlyList<string>? frames)
    {
        if (frames is null)
        {
            return;
        }

        j.WriteStartArray(name);
        foreach (string f in frames)
        {
            j.WriteStringValue(f);
        }

        j.WriteEndArray();
    }
}
