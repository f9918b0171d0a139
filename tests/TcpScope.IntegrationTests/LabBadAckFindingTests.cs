using System.Globalization;
using TcpScope.Correlation;
using TcpScope.Diagnosis;
using TcpScope.Lab;
using TcpScope.Lab.Scenarios;
using Xunit.Abstractions;

namespace TcpScope.IntegrationTests;

/// <summary>
/// TCP-SYNSENT-BAD-ACK on the lab's port-reuse scenarios: what `connect` finds from the
/// kernel's events matches what the lab's clients and counters observed.
/// </summary>
public class LabBadAckFindingTests(ITestOutputHelper output)
{
    private const string BadAckServer = "198.18.0.2:80";
    private const string NatServer = "198.18.3.2:80";

    private (LabResult Lab, IReadOnlyList<ConnectAttempt> Attempts) Run(ILabScenario scenario, LabOptions options)
    {
        ConnectionsRun? trace = null;
        try
        {
            LabResult r = LabRun.Execute(scenario, options, CancellationToken.None, _ => trace = ConnectionsRun.OfThisProcess());
            Assert.NotNull(trace);
            Assert.Equal(0ul, trace.Stop().Lost);
            foreach (string line in r.Story.Concat(r.Clients.Select(c => c.ToString())))
            {
                output.WriteLine(line);
            }

            return (r, trace.Attempts);
        }
        finally
        {
            trace?.Dispose();
        }
    }

    /// <summary>The findings of a connect rule fed the traced attempts, as `connect` feeds it.</summary>
    private IReadOnlyList<Finding> Findings(AttemptRule rule, IEnumerable<ConnectAttempt> attempts)
    {
        foreach (ConnectAttempt a in attempts)
        {
            rule.OnConnectEnded(a);
        }

        IReadOnlyList<Finding> findings = rule.Evaluate(0);
        foreach (Finding f in findings)
        {
            output.WriteLine($"FINDING {f.Id} [{f.Severity}]: {f.Title}");
            foreach (string e in f.Evidence)
            {
                output.WriteLine($"  {e}");
            }
        }

        return findings;
    }

    private static long Delta(LabResult lab, string role, string counter) =>
        lab.Namespace(role).CounterDeltas.GetValueOrDefault(counter);

    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);

    [PrivilegedFact]
    public void Bad_ack_healed_by_the_reset_is_a_warning_with_the_resets_the_client_counted()
    {
        (LabResult lab, IReadOnlyList<ConnectAttempt> attempts) = Run(new SynSentBadAckScenario(), new LabOptions());

        ClientOutcome second = lab.Clients.Single(c => c.Client == 2);
        Assert.Equal(OutcomeKind.Connected, second.Outcome);
        long resets = Delta(lab, LabRun.ClientRole, "TcpOutRsts");
        Assert.True(resets >= 1, "the client's namespace counted no RST");

        Finding f = Assert.Single(Findings(new SynSentBadAckRule(), attempts));
        Assert.Equal((SynSentBadAckRule.RuleId, Severity.Warning), (f.Id, f.Severity));
        Assert.Equal($"{BadAckServer}, netns {lab.Namespace(LabRun.ClientRole).Inode}, healed", f.Subject);
        // one attempt, the second client's, reset every bare ACK it got; the first connected directly
        Assert.StartsWith($"1 connect attempt(s) to {BadAckServer} got a bare ACK", f.Title);
        Assert.StartsWith($"1 attempt(s) connected after {N(resets)} RST(s) sent in SYN_SENT", f.Evidence[0]);
        Assert.Contains("handshake p50", f.Title);
        Assert.Contains(f.Evidence, e => e.StartsWith($"{LabTopology.ClientAddress}:{second.LocalPort} -> {BadAckServer}", StringComparison.Ordinal)
            && e.Contains("RST to the bare ACK", StringComparison.Ordinal));

        // the healed handshake took at least the retransmit timer after the RST, yet less than the client measured
        ConnectAttempt a = attempts.Single(x => x.Connection.ResetsSentInSynSent > 0);
        Assert.Equal(ConnectOutcome.Established, a.Outcome);
        Assert.Equal(second.LocalPort, a.Connection.LocalPort);
        Assert.InRange(a.DurationNs, 1_000_000, second.Elapsed.Ticks * 100);
    }

    [PrivilegedFact]
    public void Bad_ack_the_time_wait_ignores_resets_for_is_an_error_not_a_silent_timeout()
    {
        (LabResult lab, IReadOnlyList<ConnectAttempt> attempts) = Run(
            new SynSentBadAckScenario(), new LabOptions { Variant = "rfc1337", Timeout = TimeSpan.FromSeconds(3) });

        ClientOutcome second = lab.Clients.Single(c => c.Client == 2);
        Assert.Equal(OutcomeKind.TimedOut, second.Outcome);
        long resets = Delta(lab, LabRun.ClientRole, "TcpOutRsts");
        long retransmits = Delta(lab, LabRun.ClientRole, "TcpExtTCPSynRetrans");
        Assert.True(resets >= 2, $"the client's namespace counted {resets} RST(s)");

        Finding f = Assert.Single(Findings(new SynSentBadAckRule(), attempts));
        Assert.Equal((SynSentBadAckRule.RuleId, Severity.Error), (f.Id, f.Severity));
        Assert.StartsWith($"1 connect attempt(s) to {BadAckServer} never connected", f.Title);
        Assert.EndsWith("; 1 abandoned by the application", f.Title);
        Assert.Equal(
            $"1 attempt(s) never connected: {N(resets)} RST(s) sent in SYN_SENT to ACKs that did not acknowledge the SYN, "
            + $"{N(retransmits)} SYN retransmit(s); 1 abandoned by the application",
            f.Evidence[0]);
        Assert.Contains(f.Evidence, e => e.StartsWith($"{LabTopology.ClientAddress}:{second.LocalPort} -> {BadAckServer}", StringComparison.Ordinal));

        // a bare ACK answered every SYN: the timeout rule ("no answer at all") leaves it alone
        Assert.Empty(Findings(new ConnectTimeoutRule(), attempts));
    }

    [PrivilegedFact]
    public void Snat_port_reuse_healed_by_resets_is_a_warning_naming_the_server()
    {
        (LabResult lab, IReadOnlyList<ConnectAttempt> attempts) = Run(new SnatPortReuseScenario(), new LabOptions { Clients = 8 });

        List<ClientOutcome> second = [.. lab.Clients.Where(c => c.Client >= 200)];
        Assert.All(second, c => Assert.Equal(OutcomeKind.Connected, c.Outcome));
        // which ports meet PAWS is luck of the per-flow timestamp offsets: the lab's counters tell how many did
        long resets = Delta(lab, SnatPortReuseScenario.SecondClientRole, "TcpOutRsts");
        Assert.Equal(Delta(lab, LabRun.ServerRole, "TcpExtPAWSTimewait"), resets);

        IReadOnlyList<Finding> findings = Findings(new SynSentBadAckRule(), attempts);
        if (resets == 0)
        {
            Assert.Empty(findings);
            return;
        }

        Finding f = Assert.Single(findings);
        Assert.Equal(Severity.Warning, f.Severity);
        Assert.Equal($"{NatServer}, netns {lab.Namespace(SnatPortReuseScenario.SecondClientRole).Inode}, healed", f.Subject);
        // each port PAWS refused was healed by one RST and one SYN retransmit
        Assert.StartsWith($"{N(resets)} connect attempt(s) to {NatServer} got a bare ACK", f.Title);
        Assert.StartsWith($"{N(resets)} attempt(s) connected after {N(resets)} RST(s)", f.Evidence[0]);
        var ports = second.Select(c => c.LocalPort).ToHashSet();
        List<string> attemptLines = [.. f.Evidence.Where(e => e.StartsWith("198.18.2.2:", StringComparison.Ordinal))];
        Assert.Equal((int)resets, attemptLines.Count);
        Assert.All(attemptLines, e => Assert.Contains(int.Parse(e[11..e.IndexOf(' ', StringComparison.Ordinal)], CultureInfo.InvariantCulture), ports));
        if (resets < second.Count)
        {
            Assert.Contains("for the destination's other connects", f.Title); // the ports accepted directly
        }
    }

    [PrivilegedFact]
    public void Snat_port_reuse_behind_a_firewall_that_eats_resets_is_an_error_for_each_connect_that_timed_out()
    {
        (LabResult lab, IReadOnlyList<ConnectAttempt> attempts) = Run(
            new SnatPortReuseScenario(), new LabOptions { Variant = "fw-drops-rst", Clients = 8, Timeout = TimeSpan.FromSeconds(3) });

        List<ClientOutcome> timedOut = [.. lab.Clients.Where(c => c.Client >= 200 && c.Outcome != OutcomeKind.Connected)];
        Assert.All(timedOut, c => Assert.Equal(OutcomeKind.TimedOut, c.Outcome));
        Assert.Equal(N(timedOut.Count), lab.Facts["second_connects_failed"]);

        IReadOnlyList<Finding> findings = Findings(new SynSentBadAckRule(), attempts);
        Assert.Empty(Findings(new ConnectTimeoutRule(), attempts)); // every SYN of theirs got a bare ACK
        if (timedOut.Count == 0)
        {
            Assert.Empty(findings);
            return;
        }

        // no RST got through, so nothing healed: every RST client 2 sent belongs to a failed connect
        Finding f = Assert.Single(findings);
        Assert.Equal(Severity.Error, f.Severity);
        Assert.Equal($"{NatServer}, netns {lab.Namespace(SnatPortReuseScenario.SecondClientRole).Inode}, failed", f.Subject);
        Assert.StartsWith($"{N(timedOut.Count)} connect attempt(s) to {NatServer} never connected", f.Title);
        Assert.EndsWith($"; {N(timedOut.Count)} abandoned by the application", f.Title);
        long resets = Delta(lab, SnatPortReuseScenario.SecondClientRole, "TcpOutRsts");
        Assert.StartsWith($"{N(timedOut.Count)} attempt(s) never connected: {N(resets)} RST(s) sent in SYN_SENT", f.Evidence[0]);
        foreach (ClientOutcome c in timedOut)
        {
            Assert.Contains(f.Evidence, e => e.StartsWith($"198.18.2.2:{c.LocalPort} -> {NatServer}", StringComparison.Ordinal));
        }
    }
}
