using System.Globalization;
using System.Text;
using TcpScope.Decode;
using TcpScope.Diagnosis;
using TcpScope.Host.Symbols;

namespace TcpScope.Output;

/// <summary>
/// `tcpscope drops`: one line per dropped segment or reset sent (TIME, PID/COMM of the owner,
/// IP, SADDR:SPORT > DADDR:DPORT, FLAGS or RST, STATE, REASON, LOCATION), then its plain words
/// on an indented line, and what to do the first time a reason appears. The summary goes to the
/// diagnostics writer so the table stays parseable.
/// </summary>
/// <param name="stacks">Symbolises the kernel stacks that follow drops (--stacks); null: no stacks.</param>
public sealed class DropsTextRenderer(Stream output, TextWriter diagnostics, long wallOffsetNs, KernelLocations locations, StackSymbolizer? stacks = null) : IEventRenderer
{
    private const string Format = "{0,-12} {1,-22} {2,-2} {3,-47} {4,-5} {5,-11} {6,-26} {7}";

    // the columns with two IPv6 endpoints and a comm, before the reason name and the location
    private const int ColumnsLength = 256;

    // the stack buffer: the line, then its words, mostly fit
    private const int LineLength = DropText.TypicalLength;
    private readonly StreamWriter text = new(output, new UTF8Encoding(false), 1 << 16) { AutoFlush = false, NewLine = "\n" };
    private readonly LocalTimeOfDay time = new(wallOffsetNs);
    // remedies are the reason table's own strings: by reference, not hashed character by character per drop
    private readonly HashSet<string> remedied = new(ReferenceEqualityComparer.Instance);
    private bool saidNoReason;
    private bool saidNoSocket;
    private DropStackJoin? join;

    private DropStackJoin Join => join ??= new DropStackJoin(stacks is not null, Write);

    /// <summary>Drops and resets shown.</summary>
    public long Lines { get; private set; }

    public void WriteHeader() =>
        text.WriteLine(string.Format(CultureInfo.InvariantCulture, Format, "TIME", "PID/COMM", "IP", "SADDR:SPORT > DADDR:DPORT", "FLAGS", "STATE", "REASON", "LOCATION"));

    public void OnDrop(in PacketDrop e) => Join.OnDrop(e);

    private void Write(in PacketDrop e, ulong[]? frames)
    {
        // the columns of Format, built in place: a drop storm writes hundreds of thousands of lines;
        // names from a recording (reason) or the kernel (location) are of any length
        string location = locations.Name(e.Location);
        int length = ColumnsLength + (e.Reason?.Length ?? 0) + location.Length;
        Span<char> buffer = length <= LineLength ? stackalloc char[LineLength] : new char[length];
        var line = new CharLine(buffer);
        time.Format(line.Rest, e.TimestampNs);
        line.Advance(LocalTimeOfDay.Length);
        line.PadFrom(0, 12);
        line.Append(' ');
        int start = line.Length;
        if (e.OwnerKnown)
        {
            line.AppendNumber((ulong)e.OwnerPid);
            line.Append('/');
            line.AppendComm(e.OwnerComm);
        }
        else
        {
            line.Append('-');
        }

        line.PadFrom(start, 22);
        line.Append(' ');
        line.AppendPadded(e.Family == AddressFamilyKind.IPv6 ? "6" : "4", 2);
        line.Append(' ');
        start = line.Length;
        line.AppendEndpoint(e.Family, e.SourceAddress, e.SourcePort);
        line.Append(" > ");
        line.AppendEndpoint(e.Family, e.DestinationAddress, e.DestinationPort);
        line.PadFrom(start, 47);
        line.Append(' ');
        line.AppendPadded(e.Kind == DropKind.Reset ? "RST" : TcpFlagsText.Of(e.TcpFlags), 5);
        line.Append(' ');
        line.AppendPadded(e.HasSocket ? StateNames.Of(e.State) : (e.Flags & Decode.Abi.DropEventFlags.NoReceivingSocket) != 0 ? "?" : "no socket", 11);
        line.Append(' ');
        start = line.Length;
        if (e.Reason is { } reason)
        {
            line.Append(reason);
        }
        else if (e.ReasonNumber < 0)
        {
            line.Append('-');
        }
        else
        {
            line.AppendNumber((long)e.ReasonNumber);
        }

        line.PadFrom(start, 26);
        line.Append(' ');
        if (e.Kind != DropKind.Reset)
        {
            line.Append(location);
        }

        text.Write(line.Trimmed);
        text.Write('\n');
        text.Write("    ");
        if (DropText.TryFormat(buffer, e, location, out int words))
        {
            text.Write(buffer[..words]);
        }
        else
        {
            text.Write(DropText.Describe(e, location));
        }

        text.Write('\n');
        if (e.Kind == DropKind.Drop && DropText.Remedy(e) is { } remedy && remedied.Add(remedy))
        {
            text.Write("    what to do: ");
            text.WriteLine(remedy);
        }

        if (frames is not null && stacks is not null)
        {
            text.WriteLine("    stack:");
            foreach (string frame in stacks.Kernel(frames))
            {
                text.Write("      ");
                text.WriteLine(frame);
            }
        }

        Lines++;
        Notice(e);
    }

    public void OnIdle(long monotonicNowNs)
    {
        Join.OnIdle();
        Flush();
    }

    // the drops verb shows drops: the other kinds (owners' bookkeeping has none) are other verbs'
    public void OnStateChange(in StateChange e)
    {
    }

    public void OnSocketEvent(in SocketEvent e)
    {
    }

    public void OnTotals(in SocketTotals e)
    {
    }

    public void OnIcmpError(in IcmpError e)
    {
    }

    public void OnStack(StackSample e) => Join.OnStack(e);

    public void WriteFinding(Finding finding)
    {
        var w = new StringWriter { NewLine = "\n" };
        FindingText.Write(w, finding);
        text.Write(w.ToString().Replace("\r\n", "\n"));
    }

    public bool SummaryInOutput => false;

    public void WriteSummary(RunSummary summary)
    {
        Join.Flush();
        Flush();
        diagnostics.WriteLine(SummaryText.Line(summary));
        diagnostics.Flush();
    }

    public void Flush() => text.Flush();

    public void Dispose() => text.Dispose();

    /// <summary>Says once what this kernel's records lack (the classic tracepoint on old kernels).</summary>
    private void Notice(in PacketDrop e)
    {
        if (e.Kind == DropKind.Drop && (e.Flags & Decode.Abi.DropEventFlags.NoReason) != 0 && !saidNoReason)
        {
            saidNoReason = true;
            diagnostics.WriteLine("tcpscope: this kernel's kfree_skb gives no drop reason (it came in 5.17): REASON shows -, LOCATION says where");
        }

        if (e.Kind == DropKind.Drop && (e.Flags & Decode.Abi.DropEventFlags.NoReceivingSocket) != 0 && !saidNoSocket)
        {
            saidNoSocket = true;
            diagnostics.WriteLine("tcpscope: this kernel's kfree_skb does not say which socket received a segment (rx_sk came in 6.11): STATE shows no socket and owners come from the listening port only");
        }
    }
}
