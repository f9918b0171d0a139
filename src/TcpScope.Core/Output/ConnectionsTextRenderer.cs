using System.Globalization;
using TcpScope.Correlation;
using TcpScope.Decode;
using TcpScope.Decode.Abi;
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

    // one line: the widest is a close line with a path of 64 states and its ending, under 2 KiB
    private readonly char[] lineBuffer = new char[4096];
    private readonly LocalTimeOfDay clock = new(wallOffsetNs);

    public void WriteHeader() => output.WriteLine(view == ConnectionsView.Life
        ? Line(LifeFormat, "TIME", "T", "PID", "COMM", "IP", "LOCAL", "REMOTE", "MS", "TX", "RX", "PATH")
        : Line(ConnectFormat, "TIME", "PID", "COMM", "LOCAL", "REMOTE", "OUTCOME", "MS", "SYN RETRANSMITS (s) / ERROR"));

    public void WriteLife(LifeEventKind kind, long timestampNs, Connection c)
    {
        // the columns of LifeFormat, built without strings: this is written for every connection
        var line = new CharLine(lineBuffer);
        Time(ref line, timestampNs);
        line.Append(' ');
        line.Append(kind switch { LifeEventKind.Connect => 'C', LifeEventKind.Accept => 'A', _ => 'X' });
        line.Append(' ');
        Owner(ref line, c);
        line.AppendPadded(c.Family == AddressFamilyKind.IPv6 ? "6" : "4", 2);
        line.Append(' ');
        Endpoints(ref line, c, c.RemoteAddress, c.RemotePort);
        int at = line.Length;
        switch (kind)
        {
            case LifeEventKind.Connect when c.EstablishedNs is long e && c.ConnectStartNs is long s:
                Ms(ref line, e - s);
                break;
            case LifeEventKind.Accept when c.AcceptedNs is long a && c.EstablishedNs is long e:
                Ms(ref line, a - e);
                break;
            case LifeEventKind.Close:
                if (!ConnectionText.LifetimeKnown(c))
                {
                    line.Append('>');
                }

                Ms(ref line, c.LifetimeNs(timestampNs));
                break;
            default:
                line.Append('-');
                break;
        }

        line.AlignRightFrom(at, 10);
        line.Append(' ');
        bool close = kind == LifeEventKind.Close;
        at = line.Length;
        if (close && c.BytesSent is ulong tx)
        {
            line.AppendNumber(tx);
        }

        line.AlignRightFrom(at, 10);
        line.Append(' ');
        at = line.Length;
        if (close && c.BytesReceived is ulong rx)
        {
            line.AppendNumber(rx);
        }

        line.AlignRightFrom(at, 10);
        line.Append(' ');
        if (close)
        {
            Path(ref line, c);
            if (ConnectionText.HasEnding(c))
            {
                line.Append(ConnectionText.Ending(c));
            }
        }

        WriteLine(line.Trimmed);
    }

    public void WriteAttempt(ConnectAttempt a, AttemptStacks? stacks)
    {
        // the columns of ConnectFormat, built without strings: this is written for every attempt
        Connection c = a.Connection;
        var line = new CharLine(lineBuffer);
        Time(ref line, a.StartNs);
        line.Append(' ');
        Owner(ref line, c);
        Endpoints(ref line, c, c.RemoteAddress, c.RemotePort);
        line.AppendPadded(ConnectionText.Outcome(a.Outcome), 15);
        line.Append(' ');
        int at = line.Length;
        Ms(ref line, a.DurationNs);
        line.AlignRightFrom(at, 10);
        line.Append(' ');
        line.Append(' ');
        IReadOnlyList<long> retransmits = a.SynRetransmitOffsetsNs;
        if (retransmits.Count == 0)
        {
            line.Append('-');
        }

        for (int i = 0; i < retransmits.Count; i++)
        {
            if (i > 0)
            {
                line.Append(',');
            }

            line.AppendScaled(retransmits[i], unitDigits: 9, decimals: 2); // seconds, as "0.00"
        }

        if (a.Error is int err)
        {
            line.Append("  ");
            Errno(ref line, err);
        }

        if (c.ResetsSentInSynSent > 0)
        {
            line.Append("  ");
            line.AppendNumber((long)c.ResetsSentInSynSent);
            line.Append(" RST sent to unacceptable ACKs");
        }

        if (a.Failed && c.Icmp is IcmpError icmp)
        {
            line.Append("  ");
            line.Append(icmp.Text);
        }

        WriteLine(line.Trimmed);
        if (stacks is not null)
        {
            WriteStack("kernel stack where it ended", stacks.Kernel, null);
            WriteStack("user stack of connect()", stacks.User, stacks.UserNote);
        }
    }

    public void WriteConnectSummary(ConnectSummary s)
    {
        output.WriteLine();
        long pending = s.All.Count(ConnectOutcome.InProgress);
        output.WriteLine($"connect attempts: {s.All.Attempts}, failed: {s.All.Failures}{(pending > 0 ? $", still in progress at the end: {pending}" : "")}{Latency(s.All)}");
        if (s.All.Attempts == 0)
        {
            return;
        }

        const string format = "  {0,-24} {1,10} {2,8} {3,6} {4,8} {5,9} {6,8} {7,8} {8,7} {9,8} {10,10} {11,10}";
        output.WriteLine(Line(format, "DESTINATION", "NETNS", "ATTEMPTS", "ESTAB", "REFUSED", "TIMED OUT", "ABORTED", "UNREACH", "BAD ACK", "PENDING", "P50 MS", "P99 MS"));
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
                N(d, ConnectOutcome.InProgress),
                d.HandshakesNs.Percentile(50) is long p50 ? ConnectionText.Ms(p50) : "-",
                d.HandshakesNs.Percentile(99) is long p99 ? ConnectionText.Ms(p99) : "-"));
        }

        if (s.Others > 0)
        {
            output.WriteLine($"  and {s.Others} attempt(s) to further destinations (not listed one by one)");
        }
    }

    public void WriteFinding(Finding finding) => FindingText.Write(output, finding);

    public bool SummaryInOutput => false;

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

    /// <summary>HH:mm:ss.fff in local time, as <see cref="ConnectionText.Time"/>.</summary>
    private void Time(ref CharLine line, long monotonicNs)
    {
        line.Advance(clock.Format(line.Rest, monotonicNs));
    }

    /// <summary>PID (7) and COMM (15) columns, each followed by a space.</summary>
    private static void Owner(ref CharLine line, Connection c)
    {
        int at = line.Length;
        bool unknown = c.OwnerSource == OwnerSource.Unknown;
        if (unknown)
        {
            line.Append('?');
        }
        else
        {
            line.AppendNumber((ulong)c.OwnerPid);
        }

        line.PadFrom(at, 7);
        line.Append(' ');
        at = line.Length;
        if (unknown)
        {
            line.Append("unknown");
        }
        else
        {
            line.AppendComm(c.OwnerCommBytes);
        }

        line.PadFrom(at, 15);
        line.Append(' ');
    }

    /// <summary>LOCAL and REMOTE (22 each), each followed by a space.</summary>
    private static void Endpoints(ref CharLine line, Connection c, in AddressBytes remote, ushort remotePort)
    {
        int at = line.Length;
        line.AppendEndpoint(c.Family, c.LocalAddress, c.LocalPort);
        line.PadFrom(at, 22);
        line.Append(' ');
        at = line.Length;
        line.AppendEndpoint(c.Family, remote, remotePort);
        line.PadFrom(at, 22);
        line.Append(' ');
    }

    /// <summary>As <see cref="ConnectionText.Ms"/>.</summary>
    private static void Ms(ref CharLine line, long ns) => line.AppendScaled(ns, unitDigits: 6, decimals: 3);

    /// <summary>As <see cref="ConnectionText.Path"/>.</summary>
    private static void Path(ref CharLine line, Connection c)
    {
        if (c.StartLost)
        {
            line.Append("?>");
        }

        for (int i = 0; i < c.PathLength; i++)
        {
            if (i > 0)
            {
                line.Append('>');
            }

            line.Append(StateNames.Of(c.PathAt(i)));
        }

        if (c.EndLost)
        {
            line.Append(">?");
        }
    }

    /// <summary>As <see cref="ConnectionText.Errno"/>.</summary>
    private static void Errno(ref CharLine line, int errno)
    {
        line.Append(Interop.Errors.Name(errno));
        line.Append(" (");
        line.AppendNumber((long)Math.Abs((long)errno));
        line.Append(')');
    }

    private void WriteLine(ReadOnlySpan<char> text)
    {
        output.Write(text);
        output.WriteLine();
    }

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
