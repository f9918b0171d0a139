using TcpScope.Correlation;
using TcpScope.Diagnosis;
using TcpScope.Records;

namespace TcpScope.Output;

/// <summary>
/// `life` (<see cref="LifeRecord"/>, <see cref="LifeCloseRecord"/>) and `connect`
/// (<see cref="ConnectRecord"/>, then <see cref="ConnectSummaryRecord"/>) as JSON lines, with
/// findings and the closing summary like every verb. Times are the event's.
/// </summary>
public sealed class ConnectionsJsonRenderer(Stream output, long wallOffsetNs) : IConnectionRenderer
{
    private readonly JsonLines lines = new(output, new WallClock(wallOffsetNs));

    public void WriteHeader()
    {
    }

    public void WriteLife(LifeEventKind kind, long timestampNs, Connection c)
    {
        if (kind == LifeEventKind.Close)
        {
            lines.Write(new LifeCloseRecord(timestampNs, lines.Clock, c), JsonLines.Context.LifeCloseRecord);
        }
        else
        {
            lines.Write(new LifeRecord(kind, timestampNs, lines.Clock, c), JsonLines.Context.LifeRecord);
        }
    }

    public void WriteAttempt(ConnectAttempt a, AttemptStacks? stacks) =>
        lines.Write(new ConnectRecord(a, stacks, lines.Clock), JsonLines.Context.ConnectRecord);

    public void WriteConnectSummary(ConnectSummary s) =>
        lines.Write(new ConnectSummaryRecord(s), JsonLines.Context.ConnectSummaryRecord);

    public void WriteFinding(Finding finding) => lines.WriteFinding(finding);

    public bool SummaryInOutput => true;

    public void WriteSummary(RunSummary summary) => lines.WriteSummary(summary);

    public void Flush() => lines.Flush();

    public void Dispose() => lines.Dispose();
}
