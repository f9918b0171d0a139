using TcpScope.Correlation;
using TcpScope.Decode;

namespace TcpScope.Diagnosis;

/// <summary>Feeds every event and every connection milestone to each rule, and collects their findings and what they dropped.</summary>
public sealed class RuleSet(IReadOnlyList<IRule> rules) : IEventSink, IConnectionObserver, IShortfalls
{
    private readonly EventFanOut events = new(rules);

    public IReadOnlyList<IRule> Rules { get; } = rules;

    public IEnumerable<Shortfall> Shortfalls => Rules.OfType<IShortfalls>().SelectMany(r => r.Shortfalls);

    public void OnStateChange(in StateChange e) => events.OnStateChange(in e);

    public void OnSocketEvent(in SocketEvent e) => events.OnSocketEvent(in e);

    public void OnTotals(in SocketTotals e) => events.OnTotals(in e);

    public void OnIcmpError(in IcmpError e) => events.OnIcmpError(in e);

    public void OnStack(StackSample e) => events.OnStack(e);

    public void OnIdle(long monotonicNowNs) => events.OnIdle(monotonicNowNs);

    public void OnConnectEnded(ConnectAttempt a)
    {
        foreach (IRule r in Rules)
        {
            r.OnConnectEnded(a);
        }
    }

    public void OnConnectInProgress(ConnectAttempt a)
    {
        foreach (IRule r in Rules)
        {
            r.OnConnectInProgress(a);
        }
    }

    public void OnAccepted(Connection c)
    {
        foreach (IRule r in Rules)
        {
            r.OnAccepted(c);
        }
    }

    public void OnClosed(Connection c)
    {
        foreach (IRule r in Rules)
        {
            r.OnClosed(c);
        }
    }

    public IReadOnlyList<Finding> Evaluate(long monotonicNowNs) =>
        Rules.SelectMany(r => r.Evaluate(monotonicNowNs)).ToList();
}
