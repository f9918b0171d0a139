using TcpScope.Decode;
using TcpScope.Diagnosis;
using TcpScope.Records;

namespace TcpScope.Output;

/// <summary>
/// `states --json`: one <see cref="StateRecord"/> per line, findings, and the closing summary.
/// Written into a reused buffer without allocation per event.
/// </summary>
public sealed class JsonLinesRenderer(Stream output, long wallOffsetNs) : IEventRenderer
{
    private readonly JsonLines lines = new(output, new WallClock(wallOffsetNs));

    public void WriteHeader()
    {
    }

    // The hot path. Serialising a StateRecord through RecordJsonContext costs more than writing
    // its fields: `bench/TcpScope.Bench -- json` (2 vCPUs, 41 interleaved rounds, busy machine),
    // per event: the writer before the record model 1.95-2.17 us median (min 1.12 us), 0 bytes;
    // field by field x0.72-0.78 of it (min 0.87 us), 0 bytes; StateRecord through the
    // serialiser x1.03-1.09 (min 1.25 us), 160 bytes allocated. So the line is written field
    // by field; StateJsonLineTests hold the two byte for byte equal.
    public void OnStateChange(in StateChange e)
    {
        StateJsonLine.Write(lines.Json, e, lines.Clock);
        lines.EndLine();
    }

    public void WriteFinding(Finding f) => lines.WriteFinding(f);

    public bool SummaryInOutput => true;

    public void WriteSummary(RunSummary s) => lines.WriteSummary(s);

    public void OnIdle(long monotonicNowNs) => lines.Flush();

    // a view of transitions: the other kinds are the connection verbs' to show
    public void OnSocketEvent(in SocketEvent e)
    {
    }

    public void OnTotals(in SocketTotals e)
    {
    }

    public void OnIcmpError(in IcmpError e)
    {
    }

    public void OnStack(StackSample e)
    {
    }

    public void OnDrop(in PacketDrop e)
    {
    }

    public void Flush() => lines.Flush();

    public void Dispose() => lines.Dispose();
}
