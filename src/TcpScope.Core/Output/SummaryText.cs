using System.Globalization;

namespace TcpScope.Output;

/// <summary>The closing line of a live run.</summary>
public static class SummaryText
{
    public static string Line(RunSummary s)
    {
        string line = string.Create(
            CultureInfo.InvariantCulture,
            $"tcpscope: {s.Stats.Events} events in {s.Duration.TotalSeconds:0.0} s from {s.Source}, {s.Stats.Lost} lost");
        if (s.Stats.Lost > 0)
        {
            line += " (the ring buffer was full: a bigger --ring-size or tighter filters help)";
        }

        if (s.Stats.Malformed > 0)
        {
            line += $", {s.Stats.Malformed} malformed records skipped";
        }

        foreach (Decode.Shortfall f in s.Shortfalls.Where(f => f.Count > 0))
        {
            line += string.Create(CultureInfo.InvariantCulture, $"; {f.Count} {f.Text}");
        }

        foreach (string d in s.Stats.Degraded)
        {
            line += $"; degraded: {d}";
        }

        return line;
    }
}
