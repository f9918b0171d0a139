using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using TcpScope.Diagnosis;
using TcpScope.Records;
using TcpScope.Records.Json;

namespace TcpScope.Output;

/// <summary>
/// The JSON-lines writer every JSON renderer shares: one record per line, serialised through
/// <see cref="RecordJsonContext"/> into a reused buffer, flushed in batches.
/// </summary>
public sealed class JsonLines : IDisposable
{
    private const int FlushThreshold = 1 << 16;
    private readonly Stream output;
    private readonly ArrayBufferWriter<byte> buffer = new(FlushThreshold * 2);
    private readonly Utf8JsonWriter json;

    public JsonLines(Stream output, WallClock clock)
    {
        this.output = output;
        Clock = clock;
        json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
    }

    public WallClock Clock { get; }

    /// <summary>For a line written field by field; end it with <see cref="EndLine"/>.</summary>
    public Utf8JsonWriter Json => json;

    public static RecordJsonContext Context => RecordJsonContext.Default;

    public void Write<T>(in T record, JsonTypeInfo<T> type)
        where T : IOutputRecord
    {
        JsonSerializer.Serialize(json, record, type);
        EndLine();
    }

    public void WriteFinding(Finding f) => Write(FindingRecord.From(f), Context.FindingRecord);

    /// <summary>The closing line; flushes.</summary>
    public void WriteSummary(RunSummary s)
    {
        Write(SummaryRecord.From(s), Context.SummaryRecord);
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
