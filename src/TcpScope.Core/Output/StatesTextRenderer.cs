using TcpScope.Decode;
using TcpScope.Diagnosis;

namespace TcpScope.Output;

/// <summary>
/// The states table in libbpf-tools tcpstates' columns (SKADDR C-PID C-COMM LADDR LPORT RADDR
/// RPORT OLDSTATE -> NEWSTATE MS), one line per transition, formatted without allocating.
/// The summary goes to the diagnostics writer so the table stays parseable.
/// </summary>
public sealed class StatesTextRenderer(TextWriter output, TextWriter diagnostics, StatesTextOptions options) : IEventRenderer
{
    private readonly char[] line = new char[256];
    private readonly int addressWidth = options.Wide ? 39 : 15;
    private bool dirty;

    public void WriteHeader()
    {
        if (options.TimeOfDay)
        {
            output.Write($"{"TIME",-8} ");
        }

        string a = addressWidth == 39 ? "{0,-16} {1,-7} {2,-10} {3,-39} {4,-5} {5,-39} {6,-5} {7,-11} -> {8,-11} {9}" : "{0,-16} {1,-7} {2,-10} {3,-15} {4,-5} {5,-15} {6,-5} {7,-11} -> {8,-11} {9}";
        output.WriteLine(string.Format(System.Globalization.CultureInfo.InvariantCulture, a, "SKADDR", "C-PID", "C-COMM", "LADDR", "LPORT", "RADDR", "RPORT", "OLDSTATE", "NEWSTATE", "MS"));
        dirty = true;
    }

    public void OnStateChange(in StateChange e)
    {
        Span<char> buf = line;
        int n = 0;
        if (options.TimeOfDay)
        {
            n += TimeOfDay(buf, e.TimestampNs);
            buf[n++] = ' ';
        }

        Span<char> comm = stackalloc char[16];
        comm = comm[..CommText.Format(comm, e.ProcessComm)];
        if (comm.Length > 10)
        {
            comm = comm[..10];
        }

        Span<char> laddr = stackalloc char[AddressText.MaxLength];
        laddr = laddr[..AddressText.Format(laddr, e.Family, e.LocalAddress)];
        Span<char> raddr = stackalloc char[AddressText.MaxLength];
        raddr = raddr[..AddressText.Format(raddr, e.Family, e.RemoteAddress)];

        buf[n..].TryWrite(System.Globalization.CultureInfo.InvariantCulture, $"{e.Socket:x16} {e.Pid,-7} {comm,-10} ", out int w);
        n += w;
        n += Pad(buf[n..], laddr, addressWidth);
        buf[n..].TryWrite(System.Globalization.CultureInfo.InvariantCulture, $"{e.LocalPort,-5} ", out w);
        n += w;
        n += Pad(buf[n..], raddr, addressWidth);
        buf[n..].TryWrite(System.Globalization.CultureInfo.InvariantCulture, $"{e.RemotePort,-5} {StateNames.Of(e.OldState),-11} -> {StateNames.Of(e.NewState),-11} ", out w);
        n += w;
        if (e.DeltaKnown)
        {
            (e.DeltaNs / 1e6).TryFormat(buf[n..], out w, "0.000", System.Globalization.CultureInfo.InvariantCulture);
            n += w;
        }
        else
        {
            buf[n++] = '-'; // the old state began before tracing started
        }

        buf[n++] = '\n';
        output.Write(buf[..n]);
        dirty = true;
    }

    public void OnIdle(long monotonicNowNs) => Flush();

    public void WriteFinding(Finding finding)
    {
        FindingText.Write(output, finding);
        dirty = true;
    }

    public void WriteSummary(RunSummary summary)
    {
        Flush();
        diagnostics.WriteLine(SummaryText.Line(summary));
        diagnostics.Flush();
    }

    public void Flush()
    {
        if (dirty)
        {
            output.Flush();
            dirty = false;
        }
    }

    public void Dispose() => Flush();

    private static int Pad(Span<char> dest, ReadOnlySpan<char> text, int width)
    {
        text.CopyTo(dest);
        int n = text.Length;
        while (n < width)
        {
            dest[n++] = ' ';
        }

        dest[n++] = ' ';
        return n;
    }

    private int TimeOfDay(Span<char> dest, long timestampNs)
    {
        var utc = DateTime.UnixEpoch.AddTicks((timestampNs + options.WallOffsetNs) / 100);
        DateTime local = TimeZoneInfo.ConvertTimeFromUtc(utc, options.TimeZone);
        local.TryFormat(dest, out int w, "HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        return w;
    }
}
