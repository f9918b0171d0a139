using System.Globalization;
using System.Text;
using TcpScope.Decode;
using TcpScope.Host.Symbols;

namespace TcpScope.Output;

/// <summary>
/// `drops --count`: per interval, one line per (netns, reason, location, state) that gained, most
/// first (TIME, COUNT, RATE/s, NETNS, STATE, REASON, LOCATION); at the end the same for the whole
/// run with TIME "total", then what each reason seen means.
/// </summary>
public sealed class DropCountTextRenderer(Stream output, long wallOffsetNs, KernelLocations locations) : IDropCountRenderer
{
    private const string Format = "{0,-12} {1,9} {2,9} {3,-10} {4,-11} {5,-26} {6}";
    private readonly StreamWriter text = new(output, new UTF8Encoding(false), 1 << 14) { AutoFlush = false, NewLine = "\n" };
    private readonly LocalTimeOfDay time = new(wallOffsetNs);

    public void WriteHeader()
    {
        text.WriteLine(string.Format(CultureInfo.InvariantCulture, Format, "TIME", "COUNT", "RATE/s", "NETNS", "STATE", "REASON", "LOCATION"));
        text.Flush();
    }

    public void WriteInterval(long nowNs, double seconds, IReadOnlyList<DropCountRow> rows)
    {
        Span<char> t = stackalloc char[LocalTimeOfDay.Length];
        time.Format(t, nowNs);
        string at = t.ToString();
        foreach (DropCountRow r in rows)
        {
            Line(at, r);
        }

        text.Flush();
    }

    public void WriteTotals(long nowNs, double seconds, IReadOnlyList<DropCountRow> rows)
    {
        foreach (DropCountRow r in rows)
        {
            Line("total", r);
        }

        bool first = true;
        foreach (string reason in rows.Select(r => r.Reason).OfType<string>().Distinct())
        {
            if (DropReasonTable.Find(reason) is { } entry)
            {
                if (first)
                {
                    text.WriteLine("what the reasons mean:");
                    first = false;
                }

                text.WriteLine($"    {reason}: {entry.Meaning}");
            }
        }

        text.Flush();
    }

    public void Dispose() => text.Dispose();

    private void Line(string at, DropCountRow r) =>
        text.WriteLine(string.Format(
            CultureInfo.InvariantCulture,
            Format,
            at,
            r.Count,
            r.RatePerSecond.ToString("0.0", CultureInfo.InvariantCulture),
            r.NetNs,
            r.State is { } s ? StateNames.Of(s) : r.SocketUnknown ? "?" : "no socket",
            r.Reason ?? (r.ReasonNumber < 0 ? "-" : r.ReasonNumber.ToString(CultureInfo.InvariantCulture)),
            locations.Name(r.Location)).TrimEnd());
}
