using System.Buffers;
using System.Text.Json;
using TcpScope.Diagnosis;

namespace TcpScope.Output;

/// <summary>
/// The JSON-lines writer every JSON renderer shares: one object per line into a reused
/// buffer, flushed in batches; time, findings and the closing summary in one shape.
/// Utf8JsonWriter, no reflection.
/// </summary>
public sealed class JsonLines : IDisposable
{
    private const int FlushThreshold = 1 << 16;
    private readonly Stream output;
    private readonly long wallOffsetNs;
    private readonly ArrayBufferWriter<byte> buffer = new(FlushThreshold * 2);
    private readonly Utf8JsonWriter json;

    public JsonLines(Stream output, long wallOffsetNs)
    {
        this.output = output;
        this.wallOffsetNs = wallOffsetNs;
        json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public Utf8JsonWriter Json => json;

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

    /// <summary>The closing line; flushes.</summary>
    public void WriteSummary(RunSummary s)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, "summary"u8);
        json.WriteNumber("events"u8, s.Stats.Events);
        json.WriteNumber("lost"u8, s.Stats.Lost);
        json.WriteNumber("malformed"u8, s.Stats.Malformed);
        json.WriteNumber("loss_notices"u8, s.Stats.LossNotices);
        foreach (Decode.Shortfall f in s.Shortfalls)
        {
            json.WriteNumber(f.Id, f.Count);
        }

        json.WriteString("source"u8, s.Source);
        json.WriteNumber("seconds"u8, Math.Round(s.Duration.TotalSeconds, 3));
        json.WriteEndObject();
        EndLine();
        Flush();
    }

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

    /// <summary>"ts_ns" (CLOCK_MONOTONIC) and "time" (UTC, ISO 8601).</summary>
    public void WriteTime(long timestampNs)
    {
        json.WriteNumber("ts_ns"u8, timestampNs);
        var utc = new DateTime(DateTime.UnixEpoch.Ticks + ((timestampNs + wallOffsetNs) / 100), DateTimeKind.Utc);
        Span<char> iso = stackalloc char[40];
        utc.TryFormat(iso, out int n, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        json.WriteString("time"u8, iso[..n]);
    }

    /// <summary>Ends the object just written and its line.</summary>
    public void EndLine()
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
