namespace TcpScope.Decode;

/// <summary>Forwards every kind of event to each sink, in the order given.</summary>
public sealed class EventFanOut(IReadOnlyList<IEventSink> sinks) : IEventSink
{
    public IReadOnlyList<IEventSink> Sinks { get; } = sinks;

    public void OnStateChange(in StateChange e)
    {
        foreach (IEventSink s in Sinks)
        {
            s.OnStateChange(in e);
        }
    }

    public void OnSocketEvent(in SocketEvent e)
    {
        foreach (IEventSink s in Sinks)
        {
            s.OnSocketEvent(in e);
        }
    }

    public void OnTotals(in SocketTotals e)
    {
        foreach (IEventSink s in Sinks)
        {
            s.OnTotals(in e);
        }
    }

    public void OnIcmpError(in IcmpError e)
    {
        foreach (IEventSink s in Sinks)
        {
            s.OnIcmpError(in e);
        }
    }

    public void OnStack(StackSample e)
    {
        foreach (IEventSink s in Sinks)
        {
            s.OnStack(e);
        }
    }

    public void OnIdle(long monotonicNowNs)
    {
        foreach (IEventSink s in Sinks)
        {
            s.OnIdle(monotonicNowNs);
        }
    }
}
