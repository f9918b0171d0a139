using TcpScope.Correlation;
using TcpScope.Decode;

namespace TcpScope.Diagnosis;

/// <summary>Feeds every event and every connection milestone to each rule, and collects their findings and what they dropped.</summary>
public sealed class RuleSet(IReadOnlyList<IRule> rules) : IEventSink, IConnectionObserver, IShortfalls
{
    private readonly EventFanOut events = new(rules);

    // an array: a foreach over an interface list allocates an enumerator per call
    private readonly IRule[] all = [.. rules];

    public IReadOnlyList<IRule> Rules => all;

    public IEnumerable<Shortfall> Shortfalls => Rules.OfType<IShortfalls>().SelectMany(r => r.Shortfalls);

    public void OnStateChange(in StateChange e) => events.OnStateChange(in e);

    public void OnSocketEvent(in SocketEvent e) => events.OnSocketEvent(in e);

    public void OnTotals(in SocketTotals e) => events.OnTotals(in e);

    public void OnIcmpError(in IcmpError e) => events.OnIcmpError(in e);

    public void OnStack(StackSample e) => events.OnStack(e);

    public void OnDrop(in PacketDrop e) => events.OnDrop(in e);

    public void OnIdle(long monotonicNowNs) => events.OnIdle(monotonicNowNs);

    public void OnConnectEnded(ConnectAttempt a)
    {
        foreach (IRule r in all)
        {
            r.OnConnectEnded(a);
        }
    }

    public void OnConnectInProgress(ConnectAttempt a)
    {
        foreach (IRule r in all)
        {
            r.OnConnectInProgress(a);
        }
    }

    public void OnAccepted(Connection c)
    {
        foreach (IRule r in all)
        {
            r.OnAccepted(c);
        }
    }

    public void OnClosed(Connection c)
    {
        foreach (IRule r in all)
        {
            r.OnClosed(c);
        }
    }

    public IReadOnlyList<Finding> Evaluate(long monotonicNowNs) =>
        Rules.SelectMany(r => r.Evaluate(monotonicNowNs)).ToList();
}
