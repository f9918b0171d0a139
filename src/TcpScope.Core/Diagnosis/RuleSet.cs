using TcpScope.Decode;

namespace TcpScope.Diagnosis;

/// <summary>Feeds every event to each rule and collects their findings.</summary>
public sealed class RuleSet(IReadOnlyList<IRule> rules) : IEventSink
{
    public IReadOnlyList<IRule> Rules { get; } = rules;

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
