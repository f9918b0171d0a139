using TcpScope.Decode;
using TcpScope.Host.Symbols;
using TcpScope.Records;

namespace TcpScope.Output;

/// <summary>`drops --count --json`: one <see cref="DropCountRecord"/> per row, "span":"interval" each interval and "span":"run" at the end.</summary>
public sealed class DropCountJsonRenderer(Stream output, long wallOffsetNs, KernelLocations locations) : IDropCountRenderer
{
    private readonly JsonLines lines = new(output, new WallClock(wallOffsetNs));

    public void WriteHeader()
    {
    }

    public void WriteInterval(long nowNs, double seconds, IReadOnlyList<DropCountRow> rows) => Write(DropCountRecord.IntervalSpan, nowNs, seconds, rows);

    public void WriteTotals(long nowNs, double seconds, IReadOnlyList<DropCountRow> rows) => Write(DropCountRecord.RunSpan, nowNs, seconds, rows);

    public void Dispose() => lines.Dispose();

    private void Write(string span, long nowNs, double seconds, IReadOnlyList<DropCountRow> rows)
    {
        foreach (DropCountRow r in rows)
        {
            lines.Write(DropCountRecord.From(r, span, nowNs, seconds, lines.Clock, locations.Name(r.Location)), JsonLines.Context.DropCountRecord);
        }

        lines.Flush();
    }
}
