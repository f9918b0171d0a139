using System.Text;
using TcpScope.Decode;
using TcpScope.Diagnosis;
using TcpScope.Records;

namespace TcpScope.Output;

/// <summary>
/// The states table in libbpf-tools tcpstates' columns (SKADDR C-PID C-COMM LADDR LPORT RADDR
/// RPORT OLDSTATE -> NEWSTATE MS), one line per transition, built as ASCII bytes into a
/// buffer that is written out when full and on every drain. The summary goes to the
/// diagnostics writer so the table stays parseable.
/// </summary>
public sealed class StatesTextRenderer(Stream output, TextWriter diagnostics, StatesTextOptions options) : IEventRenderer
{
    private const int BufferSize = 1 << 16;
    private const int MaxLine = 256;
    private readonly byte[] buffer = new byte[BufferSize];
    private readonly int addressWidth = options.Wide ? 39 : 15;
    private int used;

    public void WriteHeader()
    {
        var line = new AsciiLine(stackalloc byte[MaxLine]);
        if (options.TimeOfDay)
        {
            line.AppendPadded("TIME", 9);
        }

        line.AppendPadded("SKADDR", 17);
        line.AppendPadded("C-PID", 8);
        line.AppendPadded("C-COMM", 11);
        line.AppendPadded("LADDR", addressWidth + 1);
        line.AppendPadded("LPORT", 6);
        line.AppendPadded("RADDR", addressWidth + 1);
        line.AppendPadded("RPORT", 6);
        line.AppendPadded("OLDSTATE", 12);
        line.Append("-> "u8);
        line.AppendPadded("NEWSTATE", 12);
        line.Append("MS\n"u8);
        Write(line.Written);
    }

    public void OnStateChange(in StateChange e)
    {
        var line = new AsciiLine(stackalloc byte[MaxLine]);
        if (options.TimeOfDay)
        {
            TimeOfDay(ref line, e.TimestampNs);
        }

        line.AppendHex16(e.Socket);
        line.Append((byte)' ');
        line.AppendNumber(e.Pid, 8);
        line.AppendComm(e.ProcessComm, 10, 11);
        line.AppendAddress(e.Family, e.LocalAddress, addressWidth + 1);
        line.AppendNumber(e.LocalPort, 6);
        line.AppendAddress(e.Family, e.RemoteAddress, addressWidth + 1);
        line.AppendNumber(e.RemotePort, 6);
        line.Append(StateNames.Column(e.OldState));
        line.Append("-> "u8);
        line.Append(StateNames.Column(e.NewState));
        if (e.DeltaKnown)
        {
            line.AppendMilliseconds(e.DeltaNs);
        }
        else
        {
            line.Append((byte)'-'); // the old state began before tracing started
        }

        line.Append((byte)'\n');
        Write(line.Written);
    }

    public void OnIdle(long monotonicNowNs) => Flush();

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

    public void WriteFinding(Finding finding)
    {
        var text = new StringWriter();
        FindingText.Write(text, finding);
        Write(Encoding.UTF8.GetBytes(text.ToString().Replace("\r\n", "\n")));
    }

    public bool SummaryInOutput => false;

    public void WriteSummary(RunSummary summary)
    {
        Flush();
        diagnostics.WriteLine(SummaryText.Line(summary));
        diagnostics.Flush();
    }

    public void Flush()
    {
        if (used > 0)
        {
            output.Write(buffer, 0, used);
            output.Flush();
            used = 0;
        }
    }

    public void Dispose() => Flush();

    private void Write(ReadOnlySpan<byte> bytes)
    {
        if (used + bytes.Length > buffer.Length)
        {
            Flush();
            if (bytes.Length > buffer.Length)
            {
                output.Write(bytes);
                return;
            }
        }

        bytes.CopyTo(buffer.AsSpan(used));
        used += bytes.Length;
    }

    private void TimeOfDay(ref AsciiLine line, long timestampNs)
    {
        DateTime utc = new WallClock(options.WallOffsetNs).Utc(timestampNs);
        DateTime local = TimeZoneInfo.ConvertTimeFromUtc(utc, options.TimeZone);
        line.AppendNumber((ulong)local.Hour / 10);
        line.AppendNumber((ulong)local.Hour % 10);
        line.Append((byte)':');
        line.AppendNumber((ulong)local.Minute / 10);
        line.AppendNumber((ulong)local.Minute % 10);
        line.Append((byte)':');
        line.AppendNumber((ulong)local.Second / 10);
        line.AppendNumber((ulong)local.Second % 10);
        line.Append((byte)' ');
    }
}
