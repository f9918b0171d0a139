using System.Text;
using TcpScope.Decode;
using TcpScope.Decode.Abi;
using TcpScope.Host.Symbols;
using TcpScope.Output;
using TcpScope.Sources;
using static TcpScope.Tests.Events;

namespace TcpScope.Tests;

/// <summary>The text of `tcpscope drops`: columns, the words under each line, the remedy once per reason.</summary>
public class DropsTextRendererTests
{
    private static (string Out, string Err) Render(params PacketDrop[] drops)
    {
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        var symbols = new SymbolTable([(0xffffffff81a00000, "tcp_v4_rcv")], KernelSymbols.MaxFunctionSize);
        using (var r = new DropsTextRenderer(stdout, stderr, RecordSamples.Clock.OffsetNs, new KernelLocations(symbols)))
        {
            r.WriteHeader();
            foreach (PacketDrop d in drops)
            {
                r.OnDrop(d);
            }

            r.OnIdle(0);
            r.WriteSummary(new RunSummary(new SourceStats(drops.Length, 0, 0), "tp_btf/kfree_skb", TimeSpan.FromSeconds(1)));
        }

        return (Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    [Fact]
    public void A_drop_is_one_line_of_columns_then_its_words_and_the_first_remedy_of_its_reason()
    {
        PacketDrop first = Drop(RecordSamples.Ms, "NO_SOCKET");
        PacketDrop second = first with { SourcePort = 41235 };

        string[] lines = Render(first, second).Out.Split('\n');

        Assert.StartsWith("TIME         PID/COMM               IP SADDR:SPORT > DADDR:DPORT", lines[0], StringComparison.Ordinal);
        string[] cols = lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["-", "4", "198.18.0.1:41234", ">", "198.18.0.2:8080", "S", "no", "socket", "NO_SOCKET", "tcp_v4_rcv"], cols[1..]);
        Assert.Equal("    SYN to :8080: nobody listens there (the kernel answers RST: connection refused)", lines[2]);
        Assert.StartsWith("    what to do: ", lines[3], StringComparison.Ordinal);
        // the second drop of the same reason: no remedy again
        Assert.Contains("198.18.0.1:41235", lines[4], StringComparison.Ordinal);
        Assert.StartsWith("    SYN to :8080", lines[5], StringComparison.Ordinal);
        Assert.Equal("", lines[6]);
    }

    [Fact]
    public void A_reset_says_RST_and_has_no_location_and_an_owner_is_pid_slash_comm()
    {
        PacketDrop reset = Drop(RecordSamples.Ms, "TCP_INVALID_ACK_SEQUENCE", kind: DropKind.Reset, reasonNumber: 2, tcpFlags: 0x10, state: TcpState.SYN_SENT, socket: 0xa, ownerPid: 4711, ownerComm: "curl");

        string line = Render(reset).Out.Split('\n')[1];

        Assert.Equal(["4711/curl", "4", "198.18.0.1:41234", ">", "198.18.0.2:8080", "RST", "SYN_SENT", "TCP_INVALID_ACK_SEQUENCE"], line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]);
    }

    [Fact]
    public void A_kernel_without_reasons_or_rx_sk_is_said_once_on_stderr()
    {
        PacketDrop old = Drop(RecordSamples.Ms, null!, reasonNumber: -1, extra: DropEventFlags.NoReason | DropEventFlags.NoReceivingSocket);

        (string output, string err) = Render(old, old);

        Assert.Single(err.Split('\n'), l => l.Contains("gives no drop reason (it came in 5.17)", StringComparison.Ordinal));
        Assert.Single(err.Split('\n'), l => l.Contains("rx_sk came in 6.11", StringComparison.Ordinal));
        Assert.Contains(" ?  ", output.Split('\n')[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_reason_name_of_any_length_is_written_whole_in_the_line_and_its_words()
    {
        // a name from a recording is not bounded by this kernel's
        string reason = "VERY_LONG_" + new string('X', 3000);
        PacketDrop drop = Drop(RecordSamples.Ms, reason, reasonNumber: 999, tcpFlags: 0x18);

        string[] lines = Render(drop).Out.Split('\n');

        Assert.Contains(" " + reason + " tcp_v4_rcv", lines[1], StringComparison.Ordinal);
        Assert.Equal("    PA segment to :8080: " + reason + " at tcp_v4_rcv", lines[2]);
    }
}
