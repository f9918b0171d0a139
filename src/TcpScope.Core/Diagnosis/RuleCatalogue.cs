namespace TcpScope.Diagnosis;

/// <summary>
/// Every rule TcpScope has, by id, with what it needs to see: a verb names the rules it runs
/// and the session makes them from here with the one set of options.
/// </summary>
public static class RuleCatalogue
{
    public static IReadOnlyList<RuleEntry> All { get; } =
    [
        new(CloseWaitRule.RuleId, NeedsConnections: false, o => new CloseWaitRule(o.CloseWaitThreshold)),
        new(ConnectTimeoutRule.RuleId, NeedsConnections: true, _ => new ConnectTimeoutRule()),
        new(ConnectRefusedRule.RuleId, NeedsConnections: true, _ => new ConnectRefusedRule()),
        new(SynSentBadAckRule.RuleId, NeedsConnections: true, _ => new SynSentBadAckRule()),
        new(SlowHandshakeRule.RuleId, NeedsConnections: true, o => new SlowHandshakeRule(o.SlowHandshake)),
        new(FirewallDropsRule.RuleId, NeedsConnections: false, _ => new FirewallDropsRule()),
        new(AcceptQueueFullAtAckRule.RuleId, NeedsConnections: false, _ => new AcceptQueueFullAtAckRule()),
        new(NoListenerRule.RuleId, NeedsConnections: false, _ => new NoListenerRule()),
        new(ReceiveBufferDropsRule.RuleId, NeedsConnections: false, _ => new ReceiveBufferDropsRule()),
        new(ChecksumDropsRule.RuleId, NeedsConnections: false, _ => new ChecksumDropsRule()),
        new(OtherDropsRule.RuleId, NeedsConnections: false, _ => new OtherDropsRule()),
    ];

    /// <summary>The entries of <paramref name="ids"/>, in the catalogue's order (the order findings are printed).</summary>
    public static IReadOnlyList<RuleEntry> Select(IEnumerable<string> ids)
    {
        var wanted = new HashSet<string>(ids, StringComparer.Ordinal);
        foreach (string id in wanted)
        {
            if (!All.Any(e => e.Id == id))
            {
                throw new ArgumentException($"no rule {id} in the catalogue", nameof(ids));
            }
        }

        return [.. All.Where(e => wanted.Contains(e.Id))];
    }

    /// <summary>New rules for <paramref name="entries"/>, with <paramref name="options"/>.</summary>
    public static RuleSet Create(IEnumerable<RuleEntry> entries, RuleOptions options) =>
        new([.. entries.Select(e => e.Create(options))]);
}
