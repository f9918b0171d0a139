using TcpScope.Decode;
using TcpScope.Lab;
using TcpScope.Lab.Scenarios;
using TcpScope.Sources.Sockets;

namespace TcpScope.IntegrationTests;

/// <summary>Each lab scenario, run for real, shows its symptom in the lab's own observations.</summary>
public class LabScenarioTests
{
    private static LabResult Run(ILabScenario scenario, LabOptions? options = null) =>
        LabRun.Execute(scenario, options ?? new LabOptions(), CancellationToken.None);

    [PrivilegedFact]
    public void Accept_overflow_drops_syns_once_the_queue_holds_backlog_plus_one()
    {
        LabResult r = Run(new AcceptOverflowScenario(), new LabOptions { Backlog = 2, Clients = 6, Timeout = TimeSpan.FromSeconds(3) });

        Assert.Equal(3, r.Count(OutcomeKind.Connected));
        Assert.Equal(3, r.Count(OutcomeKind.TimedOut));
        NamespaceReport server = r.Namespace(LabRun.ServerRole);
        Assert.True(server.CounterDeltas.GetValueOrDefault("TcpExtListenOverflows") > 0);
        Assert.True(server.CounterDeltas.GetValueOrDefault("TcpExtListenDrops") > 0);
        SocketEntry listener = server.Sockets.Single(s => s.State == TcpState.LISTEN);
        Assert.Equal(3u, listener.ReceiveQueue);
        Assert.Equal(2u, listener.AcceptQueueLimit); // the backlog the server asked for
        Assert.True(r.Namespace(LabRun.ClientRole).CounterDeltas.GetValueOrDefault("TcpExtTCPSynRetrans") > 0);
    }

    [PrivilegedFact]
    public void Accept_overflow_at_ack_time_leaves_clients_believing_in_connections_the_server_dropped()
    {
        LabResult r = Run(new AcceptOverflowScenario(), new LabOptions { Variant = "ack-time", Backlog = 2, Clients = 8 });

        Assert.Equal(8, r.Count(OutcomeKind.Connected));
        Assert.Equal("3", r.Facts["server_established"]);
        Assert.True(r.Namespace(LabRun.ServerRole).CounterDeltas.GetValueOrDefault("TcpExtListenOverflows") > 0);
        Assert.True(r.Namespace(LabRun.ClientRole).Sockets.Count(s => s.State == TcpState.ESTABLISHED && s.SendQueue > 0) >= 4); // data never acknowledged
    }

    [PrivilegedFact]
    public void Connect_timeout_ends_at_the_application_timeout_with_syns_retransmitted()
    {
        LabResult r = Run(new ConnectTimeoutScenario(), new LabOptions { Timeout = TimeSpan.FromSeconds(2.5) });

        ClientOutcome c = Assert.Single(r.Clients);
        Assert.Equal(OutcomeKind.TimedOut, c.Outcome);
        Assert.InRange(c.Elapsed.TotalSeconds, 2.4, 3.0);
        Assert.NotEqual(0, c.LocalPort);
        Assert.Equal(2, r.Namespace(LabRun.ClientRole).CounterDeltas.GetValueOrDefault("TcpExtTCPSynRetrans")); // at +1 s and +2 s
    }

    [PrivilegedFact]
    public void Connect_timeout_by_the_kernel_is_etimedout_after_its_retries()
    {
        LabResult r = Run(new ConnectTimeoutScenario(), new LabOptions { Variant = "kernel-timeout", SynRetries = 1 });

        ClientOutcome c = Assert.Single(r.Clients);
        Assert.Equal(OutcomeKind.KernelTimedOut, c.Outcome);
        Assert.InRange(c.Elapsed.TotalSeconds, 1.0, 8.0);
        Assert.Equal(1, r.Namespace(LabRun.ClientRole).CounterDeltas.GetValueOrDefault("TcpAttemptFails"));
    }

    [PrivilegedTheory]
    [InlineData("closed-port", true)]
    [InlineData("firewall-rst", false)]
    [InlineData("firewall-icmp", false)]
    public void Refused_connects_fail_at_once(string variant, bool serverKernelResets)
    {
        LabResult r = Run(new RefusedScenario(), new LabOptions { Variant = variant });

        ClientOutcome c = Assert.Single(r.Clients);
        Assert.Equal(OutcomeKind.Refused, c.Outcome);
        Assert.True(c.Elapsed < TimeSpan.FromSeconds(1.5), $"{c.Elapsed}");
        // only the kernel's own RST counts as an outgoing reset; a firewall's does not
        Assert.Equal(serverKernelResets, r.Namespace(LabRun.ServerRole).CounterDeltas.GetValueOrDefault("TcpOutRsts") > 0);
    }

    [PrivilegedFact]
    public void Close_wait_leak_leaves_the_server_socket_in_close_wait_while_it_lives()
    {
        LabResult r = Run(new CloseWaitLeakScenario());

        Assert.Equal(OutcomeKind.Connected, Assert.Single(r.Clients).Outcome);
        SocketEntry leaked = Assert.Single(r.Namespace(LabRun.ServerRole).Sockets, s => s.State == TcpState.CLOSE_WAIT);
        Assert.Equal(CloseWaitLeakScenario.Port, leaked.Local.Port);
        Assert.Contains(r.Namespace(LabRun.ClientRole).Sockets, s => s.State == TcpState.FIN_WAIT2);
    }

    [PrivilegedFact]
    public void An_orphaned_fin_wait2_lives_about_tcp_fin_timeout()
    {
        LabResult r = Run(new CloseWaitLeakScenario(), new LabOptions { Variant = "fin-wait2" });

        Assert.Contains(r.Namespace(LabRun.ClientRole).Sockets, s => s.State == TcpState.FIN_WAIT2);
        string story = Assert.Single(r.Story);
        Assert.Matches(@"the kernel removed it about [2-5]\.\d s after close\(\), without any event \(tcp_fin_timeout=3\)", story);
    }

    [PrivilegedTheory]
    [InlineData("client-closes-first", LabRun.ClientRole)]
    [InlineData("server-closes-first", LabRun.ServerRole)]
    public void Normal_close_leaves_time_wait_on_the_side_that_closed_first(string variant, string closer)
    {
        LabResult r = Run(new NormalScenario(), new LabOptions { Variant = variant });

        Assert.Equal(OutcomeKind.Connected, Assert.Single(r.Clients).Outcome);
        Assert.Contains(r.Namespace(closer).Sockets, s => s.State == TcpState.TIME_WAIT);
        string other = closer == LabRun.ClientRole ? LabRun.ServerRole : LabRun.ClientRole;
        Assert.DoesNotContain(r.Namespace(other).Sockets, s => s.State == TcpState.TIME_WAIT);
    }

    [PrivilegedFact]
    public void Nothing_is_left_behind_after_a_run_or_a_cancelled_run()
    {
        var made = new List<string>();
        LabRun.Execute(new RefusedScenario(), new LabOptions { Variant = "firewall-rst" }, CancellationToken.None, t => made.AddRange([t.Client.Name, t.Server.Name]));
        Assert.Equal(2, made.Count);
        Assert.All(made, n => Assert.False(File.Exists($"/run/netns/{n}"), $"{n} was left behind"));

        made.Clear();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        Assert.ThrowsAny<OperationCanceledException>(() =>
            LabRun.Execute(new ConnectTimeoutScenario(), new LabOptions { Timeout = TimeSpan.FromSeconds(30) }, cts.Token, t => made.AddRange([t.Client.Name, t.Server.Name])));
        Assert.Equal(2, made.Count);
        Assert.All(made, n => Assert.False(File.Exists($"/run/netns/{n}"), $"{n} was left behind by a cancelled run"));
        Assert.DoesNotContain(Links(), l => l.StartsWith("tsa", StringComparison.Ordinal) || l.StartsWith("tsb", StringComparison.Ordinal));
    }

    [PrivilegedFact]
    public void Extra_namespaces_of_a_run_are_removed_too()
    {
        LabResult r = LabRun.Execute(new SnatPortReuseScenario(), new LabOptions { Clients = 1 }, CancellationToken.None);

        Assert.Equal(4, r.Namespaces.Count);
        Assert.All(r.Namespaces, n => Assert.False(File.Exists($"/run/netns/{n.Name}"), $"{n.Name} was left behind"));
    }

    private static string[] Links() => [.. Directory.GetDirectories("/sys/class/net").Select(Path.GetFileName)!];
}

/// <summary>The scenarios that craft packets or replay a 4-tuple.</summary>
public class LabCraftedScenarioTests
{
    private static LabResult Run(ILabScenario scenario, LabOptions options) =>
        LabRun.Execute(scenario, options, CancellationToken.None);

    [PrivilegedTheory]
    [InlineData("cookies-1", "TcpExtSyncookiesSent")]
    [InlineData("cookies-2", "TcpExtSyncookiesSent")]
    public void A_syn_flood_with_cookies_does_not_keep_a_legitimate_client_out(string variant, string counter)
    {
        LabResult r = Run(new SynFloodScenario(), new LabOptions { Variant = variant, Clients = 100 });

        Assert.True(r.Namespace(LabRun.ServerRole).CounterDeltas.GetValueOrDefault(counter) > 0);
        ClientOutcome legit = Assert.Single(r.Clients);
        Assert.Equal(OutcomeKind.Connected, legit.Outcome);
        Assert.True(legit.Elapsed < TimeSpan.FromSeconds(1), $"{legit.Elapsed}");
        Assert.Equal(0, r.Namespace(LabRun.ServerRole).CounterDeltas.GetValueOrDefault("TcpExtListenOverflows"));
    }

    [PrivilegedFact]
    public void A_syn_flood_without_cookies_drops_syns_and_delays_the_legitimate_client()
    {
        LabResult r = Run(new SynFloodScenario(), new LabOptions { Variant = "cookies-0", Clients = 100 });

        NamespaceReport server = r.Namespace(LabRun.ServerRole);
        Assert.True(server.CounterDeltas.GetValueOrDefault("TcpExtTCPReqQFullDrop") > 0);
        Assert.Equal(SynFloodScenario.Backlog + 1, server.Sockets.Count(s => s.State == Decode.TcpState.SYN_RECV));
        ClientOutcome legit = Assert.Single(r.Clients);
        Assert.Equal(OutcomeKind.Connected, legit.Outcome);
        Assert.True(legit.Elapsed > TimeSpan.FromSeconds(3), $"{legit.Elapsed}"); // after the half-open requests expired
    }

    [PrivilegedTheory]
    [InlineData("lower-seq", "ack", null)]
    [InlineData("paws", "ack", "TcpExtPAWSTimewait")]
    [InlineData("higher-seq", "syn-ack", null)]
    public void A_syn_meeting_time_wait_is_answered_as_the_kernel_decides(string variant, string reply, string? counter)
    {
        LabResult r = Run(new TimewaitSynScenario(), new LabOptions { Variant = variant });

        Assert.Equal(reply, r.Facts["reply"]);
        if (counter is not null)
        {
            Assert.Equal(1, r.Namespace(LabRun.ServerRole).CounterDeltas.GetValueOrDefault(counter));
        }
    }

    [PrivilegedFact]
    public void A_client_in_syn_sent_resets_the_bare_ack_and_its_retransmit_connects()
    {
        LabResult r = Run(new SynSentBadAckScenario(), new LabOptions());

        ClientOutcome second = r.Clients.Single(c => c.Client == 2);
        Assert.Equal(OutcomeKind.Connected, second.Outcome);
        Assert.True(second.Elapsed < TimeSpan.FromSeconds(1), $"{second.Elapsed}");
        IReadOnlyDictionary<string, long> client = r.Namespace(LabRun.ClientRole).CounterDeltas;
        Assert.True(client.GetValueOrDefault("TcpOutRsts") >= 1);
        Assert.True(client.GetValueOrDefault("TcpExtTCPSynRetrans") >= 1);
    }

    [PrivilegedFact]
    public void With_rfc1337_the_time_wait_ignores_the_reset_and_the_connect_times_out()
    {
        LabResult r = Run(new SynSentBadAckScenario(), new LabOptions { Variant = "rfc1337", Timeout = TimeSpan.FromSeconds(3) });

        Assert.Equal(OutcomeKind.TimedOut, r.Clients.Single(c => c.Client == 2).Outcome);
        Assert.Contains(r.Namespace(LabRun.ServerRole).Sockets, s => s.State == Decode.TcpState.TIME_WAIT);
    }
}

/// <summary>The four-namespace NAT scenario.</summary>
public class LabSnatScenarioTests
{
    [PrivilegedFact]
    public void Reused_snat_ports_meet_time_wait_and_heal_with_a_reset_and_a_retransmit()
    {
        LabResult r = LabRun.Execute(new SnatPortReuseScenario(), new LabOptions { Clients = 8 }, CancellationToken.None);

        List<ClientOutcome> second = r.Clients.Where(c => c.Client >= 200).ToList();
        Assert.Equal(8, second.Count);
        Assert.All(second, c => Assert.Equal(OutcomeKind.Connected, c.Outcome));
        long paws = r.Namespace(LabRun.ServerRole).CounterDeltas.GetValueOrDefault("TcpExtPAWSTimewait");
        long resets = r.Namespace(SnatPortReuseScenario.SecondClientRole).CounterDeltas.GetValueOrDefault("TcpOutRsts");
        Assert.Equal(paws, resets); // each SYN that PAWS refused got a bare ACK, which client 2 reset
        Assert.Equal(resets, r.Namespace(SnatPortReuseScenario.SecondClientRole).CounterDeltas.GetValueOrDefault("TcpExtTCPSynRetrans")); // and retransmitted
    }

    [PrivilegedFact]
    public void When_the_firewall_eats_resets_the_refused_reuses_time_out()
    {
        LabResult r = LabRun.Execute(new SnatPortReuseScenario(), new LabOptions { Variant = "fw-drops-rst", Clients = 8, Timeout = TimeSpan.FromSeconds(3) }, CancellationToken.None);

        List<ClientOutcome> second = r.Clients.Where(c => c.Client >= 200).ToList();
        int failed = second.Count(c => c.Outcome != OutcomeKind.Connected);
        Assert.All(second.Where(c => c.Outcome != OutcomeKind.Connected), c => Assert.Equal(OutcomeKind.TimedOut, c.Outcome));
        Assert.Equal(failed.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Facts["second_connects_failed"]);
        Assert.Equal(failed > 0, r.Namespace(LabRun.ServerRole).CounterDeltas.GetValueOrDefault("TcpExtPAWSTimewait") > 0);
    }
}
