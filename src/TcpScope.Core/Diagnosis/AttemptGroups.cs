using TcpScope.Correlation;

namespace TcpScope.Diagnosis;

/// <summary>
/// Connect attempts grouped by a key (a destination, an outcome) for a finding: the first
/// <see cref="AttemptRule.MaxEvidence"/> of each group as evidence, and how many there were.
/// At most <see cref="AttemptRule.MaxDestinations"/> groups; attempts of further groups are not kept.
/// </summary>
public sealed class AttemptGroups<TKey>
    where TKey : notnull
{
    private readonly Dictionary<TKey, Group> groups = [];

    public void Add(TKey key, ConnectAttempt a)
    {
        if (!groups.TryGetValue(key, out Group? g))
        {
            if (groups.Count >= AttemptRule.MaxDestinations)
            {
                return;
            }

            groups[key] = g = new Group();
        }

        g.Total++;
        if (g.Shown.Count < AttemptRule.MaxEvidence)
        {
            g.Shown.Add(a);
        }
    }

    public IEnumerable<(TKey Key, IReadOnlyList<ConnectAttempt> Shown, int Total)> All =>
        groups.Select(kv => (kv.Key, (IReadOnlyList<ConnectAttempt>)kv.Value.Shown, kv.Value.Total));

    private sealed class Group
    {
        public List<ConnectAttempt> Shown { get; } = [];

        public int Total { get; set; }
    }
}
