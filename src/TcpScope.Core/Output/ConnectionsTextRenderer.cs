using System.Globalization;
using TcpScope.Correlation;
using TcpScope.Decode;
using TcpScope.Diagnosis;
using TcpScope.Records;

namespace TcpScope.Output;

/// <summary>
/// `life` and `connect` as aligned text lines; findings and the connect summary follow the
/// records on the same output, the closing line goes to the diagnostics writer.
/// </summary>
public sealed class ConnectionsTextRenderer(TextWriter output, TextWriter diagnostics, ConnectionsView view, long wallOffsetNs) : IConnectionRenderer
{
    private const string LifeFormat = "{0,-12} {1} {2,-7} {3,-15} {4,-2} {5,-22} {6,-22} {7,10} {8,10} {9,10} {10}";
    private const string ConnectFormat = "{0,-12} {1,-7} {2,-15} {3,-22} {4,-22} {5,-15} {6,10}  {7}";

    public void WriteHeader() => output.WriteLine(view == ConnectionsView.Life
        ? Line(LifeFormat, "TIME", "T", "PID", "COMM", "IP", "LOCAL", "REMOTE", "MS", "TX", "RX", "PATH")
        : Line(ConnectFormat, "TIME", "PID", "COMM", "LOCAL", "REMOTE", "OUTCOME", "MS", "SYN RETRANSMITS (s) / ERROR"));

    public void WriteLife(LifeEventKind kind, long timestampNs, Connection c)
    {
        string ms = kind switch
        {
            LifeEventKind.Connect when c.EstablishedNs is long e && c.ConnectStartNs is long s => ConnectionText.Ms(e - s),
            LifeEventKind.Accept when c.AcceptedNs is long a && c.EstablishedNs is long e => ConnectionText.Ms(a - e),
            LifeEventKind.Close => (ConnectionText.LifetimeKnown(c) ? "" : ">") + ConnectionText.Ms(c.LifetimeNs(timestampNs)),
            _ => "-",
        };
        bool close = kind == LifeEventKind.Close;
        output.WriteLine(Line(
            LifeFormat,
            ConnectionText.Time(timestampNs, wallOffsetNs),
            kind switch { LifeEventKind.Connect => "C", LifeEventKind.Accept => "A", _ => "X" },
            ConnectionText.Pid(c),
            ConnectionText.Comm(c),
            ConnectionText.Family(c),
            ConnectionText.Local(c),
            ConnectionText.Remote(c),
            ms,
            close && c.BytesSent is ulong tx ? tx.ToString(CultureInfo.InvariantCulture) : "",
            close && c.BytesReceived is ulong rx ? rx.ToString(CultureInfo.InvariantCulture) : "",
            close ? ConnectionText.Path(c) + ConnectionText.Ending(c) : ""));
    }

    public void WriteAttempt(ConnectAttempt a, AttemptStacks? stacks)
    {
        Connection c = a.Connection;
        string retransmits = a.SynRetransmitOffsetsNs.Count == 0
            ? "-"
            : string.Join(',', a.SynRetransmitOffsetsNs.Select(o => Durations.SecondsText(o, 2)));
        string detail = a.Error is int err ? $"{retransmits}  {ConnectionText.Errno(err)}" : retransmits;
        if (c.ResetsSentInSynSent > 0)
        {
            detail += $"  {c.ResetsSentInSynSent} RST sent to unacceptable ACKs";
        }

        if (a.Failed && c.Icmp is IcmpError icmp)
        {
            detail += $"  {icmp.Text}";
        }

        output.WriteLine(Line(
            ConnectFormat,
            ConnectionText.Time(a.StartNs, wallOffsetNs),
            ConnectionText.Pid(c),
            ConnectionText.Comm(c),
            ConnectionText.Local(c),
            a.Remote,
            ConnectionText.Outcome(a.Outcome),
            ConnectionText.Ms(a.DurationNs),
            detail));
        if (stacks is not null)
        {
            WriteStack("kernel stack where it ended", stacks.Kernel, null);
            WriteStack("user stack of connect()", stacks.User, stacks.UserNote);
        }
    }

    public void WriteConnectSummary(ConnectSummary s)
    {
        output.WriteLine();
        output.WriteLine($"connect attempts: {s.All.Attempts}, failed: {s.All.Failures}{Latency(s.All)}");
        if (s.All.Attempts == 0)
        {
            return;
        }

        const string format = "  {0,-24} {1,10} {2,8} {3,6} {4,8} {5,9} {6,8} {7,8} {8,7} {9,10} {10,10}";
        output.WriteLine(Line(format, "DESTINATION", "NETNS", "ATTEMPTS", "ESTAB", "REFUSED", "TIMED OUT", "ABORTED", "UNREACH", "BAD ACK", "P50 MS", "P99 MS"));
        foreach (DestinationStats d in s.Destinations)
        {
            output.WriteLine(Line(
                format,
                d.Remote,
                d.NetNs.ToString(CultureInfo.InvariantCulture),
                d.Attempts.ToString(CultureInfo.InvariantCulture),
                N(d, ConnectOutcome.Established),
                N(d, ConnectOutcome.Refused),
                N(d, ConnectOutcome.TimedOut),
                N(d, ConnectOutcome.Aborted),
                N(d, ConnectOutcome.Unreachable),
                N(d, ConnectOutcome.ResetAfterBadAck),
                d.HandshakesNs.Percentile(50) is long p50 ? ConnectionText.Ms(p50) : "-",
                d.HandshakesNs.Percentile(99) is long p99 ? ConnectionText.Ms(p99) : "-"));
        }

        if (s.Others > 0)
        {
            output.WriteLine($"  and {s.Others} attempt(s) to further destinations (not listed one by one)");
        }
    }

    public void WriteFinding(Finding finding) => FindingText.Write(output, finding);

    public void WriteSummary(RunSummary summary)
    {
        Flush();
        diagnostics.WriteLine(SummaryText.Line(summary));
        diagnostics.Flush();
    }

    public void Flush() => output.Flush();

    public void Dispose() => Flush();

    private static string N(DestinationStats d, ConnectOutcome o) => d.Count(o).ToString(CultureInfo.InvariantCulture);

    private static string Latency(DestinationStats d) =>
        d.HandshakesNs.Percentile(50) is long p50 && d.HandshakesNs.Percentile(99) is long p99
            ? $", handshake p50 {ConnectionText.Ms(p50)} ms, p99 {ConnectionText.Ms(p99)} ms"
            : "";

    private static string Line(string format, params object[] values) =>
        string.Format(CultureInfo.InvariantCulture, format, values).TrimEnd();

    private void WriteStack(string title, IReadOnlyList<string>? frames, string? note)
    {
        if (frames is null && note is null)
        {
            return;
        }

        output.WriteLine($"    {title}:{(note is null ? "" : " " + note)}");
        foreach (string f in frames ?? [])
        {
            output.WriteLine($"      {f}");
        }
    }
}
