using System.Buffers;
using System.Text.Json;
using TcpScope.Decode;
using TcpScope.Diagnosis;

namespace TcpScope.Output;

/// <summary>
/// One JSON object per line: events ("type":"state"), findings ("type":"finding") and a
/// closing "type":"summary". Field names are stable; enums are written as names.
/// Written with Utf8JsonWriter into a reused buffer: no reflection, no allocation per event.
/// </summary>
public sealed class JsonLinesRenderer : IEventRenderer
{
    private const int FlushThreshold = 1 << 16;
    private readonly Stream output;
    private readonly long wallOffsetNs;
    private readonly ArrayBufferWriter<byte> buffer = new(FlushThreshold * 2);
    private readonly Utf8JsonWriter json;

    public JsonLinesRenderer(Stream output, long wallOffsetNs)
    {
        this.output = output;
        this.wallOffsetNs = wallOffsetNs;
        json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public void WriteHeader()
    {
    }

    public void OnStateChange(in StateChange e)
    {
        Span<char> text = stackalloc char[AddressText.MaxLength];
        json.WriteStartObject();
        json.WriteString("type"u8, "state"u8);
        WriteTime(e.TimestampNs);
        json.WriteNumber("netns"u8, e.NetNs);
        Span<char> hex = stackalloc char[18];
        "0x".CopyTo(hex);
        e.Socket.TryFormat(hex[2..], out int hw, "x16");
        json.WriteString("skaddr"u8, hex[..(2 + hw)]);
        json.WriteNumber("pid"u8, e.Pid);
        json.WriteString("comm"u8, CommText.Bytes(e.ProcessComm));
        json.WriteBoolean("owner_known"u8, e.OwnerKnown);
        json.WriteNumber("task_pid"u8, e.TaskPid);
        json.WriteString("task_comm"u8, CommText.Bytes(e.TaskComm));
        json.WriteString("family"u8, e.Family == AddressFamilyKind.IPv6 ? "ipv6"u8 : "ipv4"u8);
        json.WriteString("laddr"u8, text[..AddressText.Format(text, e.Family, e.LocalAddress)]);
        json.WriteNumber("lport"u8, e.LocalPort);
        json.WriteString("raddr"u8, text[..AddressText.Format(text, e.Family, e.RemoteAddress)]);
        json.WriteNumber("rport"u8, e.RemotePort);
        json.WriteString("oldstate"u8, StateNames.Of(e.OldState));
        json.WriteString("newstate"u8, StateNames.Of(e.NewState));
        if (e.DeltaKnown)
        {
            json.WriteNumber("ms"u8, Math.Round(e.DeltaNs / 1e6, 3));
        }
        else
        {
            json.WriteNull("ms"u8);
        }

        json.WriteEndObject();
        EndLine();
    }

    public void WriteFinding(Finding f)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, "finding"u8);
        json.WriteString("id"u8, f.Id);
        json.WriteString("severity"u8, f.Severity.ToString().ToLowerInvariant());
        json.WriteString("title"u8, f.Title);
        json.WriteString("subject"u8, f.Subject);
        json.WriteStartArray("evidence"u8);
        foreach (string e in f.Evidence)
        {
            json.WriteStringValue(e);
        }

        json.WriteEndArray();
        json.WriteString("explanation"u8, f.Explanation);
        json.WriteString("remediation"u8, f.Remediation);
        json.WriteEndObject();
        EndLine();
    }

    public void WriteSummary(RunSummary s)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, "summary"u8);
        json.WriteNumber("events"u8, s.Stats.Events);
        json.WriteNumber("lost"u8, s.Stats.Lost);
        json.WriteNumber("malformed"u8, s.Stats.Malformed);
        json.WriteString("source"u8, s.Source);
        json.WriteNumber("seconds"u8, Math.Round(s.Duration.TotalSeconds, 3));
        json.WriteEndObject();
        EndLine();
        Flush();
    }

    public void OnIdle(long monotonicNowNs) => Flush();

    public void Flush()
    {
        if (buffer.WrittenCount > 0)
        {
            output.Write(buffer.WrittenSpan);
            output.Flush();
            buffer.Clear();
        }
    }

    public void Dispose()
    {
        Flush();
        json.Dispose();
    }

    private void WriteTime(long timestampNs)
    {
        json.WriteNumber("ts_ns"u8, timestampNs);
        var utc = new DateTime(DateTime.UnixEpoch.Ticks + ((timestampNs + wallOffsetNs) / 100), DateTimeKind.Utc);
        Span<char> iso = stackalloc char[40];
        utc.TryFormat(iso, out int n, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        json.WriteString("time"u8, iso[..n]);
    }

    private void EndLine()
    {
        json.Flush();
        json.Reset();
        buffer.GetSpan(1)[0] = (byte)'\n';
        buffer.Advance(1);
        if (buffer.WrittenCount >= FlushThreshold)
        {
            Flush();
        }
    }
}
