using TcpScope.Decode;

namespace TcpScope.Diagnosis;

/// <summary>Feeds every event to each rule and collects their findings, and what the rules dropped.</summary>
public sealed class RuleSet(IReadOnlyList<IRule> rules) : IEventSink, IShortfalls
{
    public IReadOnlyList<IRule> Rules { get; } = rules;

    public IEnumerable<Shortfall> Shortfalls => Rules.OfType<IShortfalls>().SelectMany(r => r.Shortfalls);

    public void OnStateChange(in StateChange e)
    {
        foreach (IRule r in Rules)
        {
            r.OnStateChange(in e);
        }
    }

    public IReadOnlyList<Finding> Evaluate(long monotonicNowNs) =>
        Rules.SelectMany(r => r.Evaluate(monotonicNowNs)).ToList();
}
