using System.Net;
using TcpScope.Decode;
using TcpScope.Sources.Counters;
using TcpScope.Sources.Sockets;

namespace TcpScope.Tests;

/// <summary>The /proc/net parsers against files captured on a real machine (see Fixtures/README.md).</summary>
public class ProcNetParsingTests
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    [Fact]
    public void Counters_pair_names_with_values_under_nstat_names()
    {
        var values = new Dictionary<string, long>();
        ProcNetCounters.Parse(Fixture("proc-net-netstat.txt"), values);
        ProcNetCounters.Parse(Fixture("proc-net-snmp.txt"), values);

        Assert.Contains("TcpExtListenOverflows", values.Keys);
        Assert.Contains("TcpExtPAWSTimewait", values.Keys);
        Assert.Contains("TcpExtTCPSynRetrans", values.Keys);
        Assert.Contains("TcpAttemptFails", values.Keys);
        Assert.Contains("IpExtInOctets", values.Keys);
        Assert.Equal(-1, values["TcpMaxConn"]); // the one signed counter
        Assert.Equal(200, values["TcpRtoMin"]);
    }

    [Fact]
    public void Unpaired_counter_lines_are_refused()
    {
        Assert.Throws<InvalidDataException>(() => ProcNetCounters.Parse("TcpExt: A B\nTcpExt: 1\n", []));
    }

    [Fact]
    public void Deltas_keep_only_what_moved()
    {
        var before = new CounterSnapshot(new Dictionary<string, long> { ["TcpExtListenOverflows"] = 5, ["TcpOutRsts"] = 1 });
        var after = new CounterSnapshot(new Dictionary<string, long> { ["TcpExtListenOverflows"] = 40, ["TcpOutRsts"] = 1, ["TcpExtNew"] = 2 });

        Assert.Equal(new Dictionary<string, long> { ["TcpExtListenOverflows"] = 35, ["TcpExtNew"] = 2 }, after.DeltaSince(before));
    }

    [Fact]
    public void A_listener_shows_its_accept_queue_and_unaccepted_children_have_no_inode()
    {
        IReadOnlyList<SocketEntry> s = ProcNetTcp.Parse(Fixture("proc-net-tcp-accept-overflow-server.txt"), KernelEnums.BuiltIn);

        Assert.Equal(4, s.Count);
        SocketEntry listener = s[0];
        Assert.Equal(TcpState.LISTEN, listener.State);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.18.0.2"), 8080), listener.Local);
        Assert.Equal(3u, listener.ReceiveQueue);
        Assert.Equal(8380634UL, listener.Inode);
        Assert.All(s.Skip(1), c =>
        {
            Assert.Equal(TcpState.ESTABLISHED, c.State);
            Assert.Equal(10u, c.ReceiveQueue); // "helloworld", never read
            Assert.Equal(0UL, c.Inode);
            Assert.Equal(IPAddress.Parse("198.18.0.1"), c.Remote.Address);
        });
        Assert.Equal(39122, s[1].Remote.Port);
    }

    [Fact]
    public void Clients_stuck_in_syn_sent_carry_the_retransmit_timer()
    {
        IReadOnlyList<SocketEntry> s = ProcNetTcp.Parse(Fixture("proc-net-tcp-accept-overflow-client.txt"), KernelEnums.BuiltIn);

        Assert.Equal(3, s.Count(x => x.State == TcpState.ESTABLISHED));
        List<SocketEntry> waiting = s.Where(x => x.State == TcpState.SYN_SENT).ToList();
        Assert.Equal(7, waiting.Count);
        Assert.All(waiting, x =>
        {
            Assert.Equal(1, x.Timer); // retransmit timer
            Assert.Equal(1u, x.SendQueue); // the SYN
        });
    }

    [Fact]
    public void Ipv6_lines_parse_with_their_four_words()
    {
        // constructed, not captured: an IPv6 listener on [::1]:8080 in the format of get_tcp6_sock()
        const string Text = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
            + "   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1234 1 0000000000000000 100 0 0 10 0\n";

        SocketEntry e = Assert.Single(ProcNetTcp.Parse(Text, KernelEnums.BuiltIn));

        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 8080), e.Local);
        Assert.Equal(TcpState.LISTEN, e.State);
    }
}
