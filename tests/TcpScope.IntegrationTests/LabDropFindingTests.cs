using System.Globalization;
using System.Text.Json;
using TcpScope.Cli.Verbs;
using TcpScope.Decode;
using TcpScope.Diagnosis;
using TcpScope.Lab;
using TcpScope.Lab.Scenarios;

namespace TcpScope.IntegrationTests;

/// <summary>
/// The drop rules on the lab's scenarios: the drops the family reports, fed through the rules
/// that `drops` runs, give the findings the scenario's story calls for, with counts that match
/// the lab's own counters (never what tcpscope itself printed).
/// </summary>
public class LabDropFindingTests
{
    private static (LabResult Lab, IReadOnlyList<Finding> Findings) Run(ILabScenario scenario, LabOptions options)
    {
        (LabResult r, IReadOnlyList<PacketDrop> drops) = DropsRun.AroundLab(scenario, options);
        RuleSet rules = RuleCatalogue.Create(RuleCatalogue.Select(DropsVerb.Rules), new RuleOptions());
        foreach (PacketDrop d in drops)
        {
            rules.OnDrop(in d);
        }

        return (r, rules.Evaluate(drops.Count == 0 ? 0 : drops.Max(d => d.TimestampNs)));
    }

    private static string Netns(LabResult lab, string role) => lab.Namespace(role).Inode.ToString(CultureInfo.InvariantCulture);

    [PrivilegedFact]
    public void Syns_into_a_drop_rule_are_a_firewall_finding_counting_every_syn_the_client_sent()
    {
        (LabResult lab, IReadOnlyList<Finding> findings) = Run(new ConnectTimeoutScenario(), new LabOptions { Timeout = TimeSpan.FromSeconds(2.5) });
        long retransmits = lab.Namespace(LabRun.ClientRole).CounterDeltas.GetValueOrDefault("TcpExtTCPSynRetrans");
        Assert.True(retransmits > 0, "the client's kernel counted no SYN retransmit");

        Finding f = Assert.Single(findings, f => f.Id == FirewallDropsRule.RuleId);
        Assert.Equal($"198.18.0.2:81, NETFILTER_DROP, netns {Netns(lab, LabRun.ServerRole)}", f.Subject);
        long syns = 1 + retransmits;
        Assert.StartsWith($"{syns} segment(s) to 198.18.0.2:81 dropped with reason NETFILTER_DROP in netns {Netns(lab, LabRun.ServerRole)}, {syns} of them SYN(s)", f.Evidence[0], StringComparison.Ordinal);
        Assert.Equal(Severity.Warning, f.Severity);
    }

    [PrivilegedFact]
    public void A_syn_to_a_closed_port_is_a_no_listener_finding_with_the_reset_sent_for_it()
    {
        (LabResult lab, IReadOnlyList<Finding> findings) = Run(new RefusedScenario(), new LabOptions { Variant = "closed-port" });
        Assert.Single(lab.Clients);

        Finding f = Assert.Single(findings, f => f.Id == NoListenerRule.RuleId);
        Assert.Equal($"198.18.0.2:81, NO_SOCKET, netns {Netns(lab, LabRun.ServerRole)}", f.Subject);
        Assert.StartsWith("1 SYN(s) to 198.18.0.2:81", f.Title, StringComparison.Ordinal);
        // the lab's counter agrees that the stack sent one reset
        Assert.Equal(1, lab.Namespace(LabRun.ServerRole).CounterDeltas.GetValueOrDefault("TcpOutRsts"));
        Assert.Contains("1 RST(s) sent by the kernel in answer (no socket: reset reason NO_SOCKET)", f.Evidence);
    }

    [PrivilegedFact]
    public void Handshake_acks_at_a_full_accept_queue_are_an_error_naming_the_listeners_queue_and_owner()
    {
        (LabResult lab, IReadOnlyList<Finding> findings) = Run(new AcceptOverflowScenario(), new LabOptions { Variant = "ack-time" });
        long overflows = lab.Namespace(LabRun.ServerRole).CounterDeltas.GetValueOrDefault("TcpExtListenOverflows");

        Finding f = Assert.Single(findings, f => f.Id == AcceptQueueFullAtAckRule.RuleId && f.Subject.Contains("TCP_LISTEN_OVERFLOW", StringComparison.Ordinal));
        Assert.Equal(Severity.Error, f.Severity);
        // backlog 2 holds 3 (the kernel compares with >); the lab's server is a thread of this process
        Assert.Contains($"its accept queue was full (accept queue 3/2)", f.Title);
        Assert.Contains($"of lab-server (pid {Environment.ProcessId})", f.Title);
        // every such drop is an overflow; the counter also counts SYN-time overflows, which kfree_skb never sees
        long counted = long.Parse(f.Evidence[0].Split(' ')[0], CultureInfo.InvariantCulture);
        Assert.InRange(counted, 1, overflows);
    }

    [PrivilegedFact]
    public void The_normal_scenario_gives_no_drop_finding_above_info()
    {
        (_, IReadOnlyList<Finding> findings) = Run(new NormalScenario(), new LabOptions());

        Assert.All(findings, f => Assert.True(f.Severity == Severity.Info, $"{f.Id} {f.Severity}: {f.Title}"));
    }

    [PrivilegedFact]
    public void A_ten_second_connection_storm_gives_no_drop_finding_above_info_from_the_drops_verb()
    {
        using NetworkNamespace ns = NetworkNamespace.Create("ts-dropstorm");
        using TracerProcess tracer = TracerProcess.Start("drops", "--json", "--netns", ns.Inode.ToString(CultureInfo.InvariantCulture));
        LoopbackStorm.Result storm = ns.Run(() => LoopbackStorm.Run(1_000_000, limit: TimeSpan.FromSeconds(10)));
        Thread.Sleep(300);
        (List<JsonElement> lines, _) = tracer.Finish();

        Assert.True(storm.Established > 1000, $"the storm made only {storm.Established} connections");
        Assert.Equal("summary", lines[^1].GetProperty("type").GetString());
        Assert.Equal(0, lines[^1].GetProperty("lost").GetInt64());
        List<JsonElement> findings = [.. lines.Where(l => l.GetProperty("type").GetString() == "finding")];
        Assert.All(findings, f => Assert.True(f.GetProperty("severity").GetString() == "info", f.GetRawText()));
        // the storm's normal drops land on thousands of client ports: grouped per reason, not one finding per port
        Assert.True(findings.Count <= 10, $"{findings.Count} findings: {string.Join(", ", findings.Take(12).Select(f => f.GetProperty("subject").GetString()))}");
    }
}
