using TcpScope.Correlation;

namespace TcpScope.Diagnosis;

/// <summary>
/// Connect attempts grouped by a key (a destination, an outcome) for a finding: the first
/// <see cref="AttemptRule.MaxEvidence"/> of each group as evidence, and how many there were.
/// At most <see cref="AttemptRule.MaxDestinations"/> groups; a group without attempts for the
/// expiry gives its place to a new one (<see cref="Expired"/>), and attempts of further groups
/// are counted, not kept (<see cref="NotKept"/>).
/// </summary>
public sealed class AttemptGroups<TKey>(int capacity, long expiryNs)
    where TKey : notnull
{
    private readonly BoundedTable<TKey, Group> groups = new(capacity, expiryNs);

    public AttemptGroups()
        : this(AttemptRule.MaxDestinations, TableExpiry.DefaultNs)
    {
    }

    /// <summary>Groups dropped after the expiry without attempts, to make room.</summary>
    public long Expired => groups.Expired;

    /// <summary>Attempts not kept: the table was full of groups in use.</summary>
    public long NotKept => groups.Refused;

    public IEnumerable<(TKey Key, IReadOnlyList<AttemptEvidence> Shown, long Total)> All =>
        groups.Entries.Select(kv => (kv.Key, (IReadOnlyList<AttemptEvidence>)kv.Value.Shown, kv.Value.Total));

    public void Add(TKey key, ConnectAttempt a)
    {
        if (groups.GetOrAdd(key, a.EndNs, static _ => new Group()) is not { } g)
        {
            return;
        }

        g.Total++;
        if (g.Shown.Count < AttemptRule.MaxEvidence)
        {
            g.Shown.Add(AttemptEvidence.Of(a));
        }
    }

    private sealed class Group
    {
        public List<AttemptEvidence> Shown { get; } = [];

        public long Total { get; set; }
    }
}
