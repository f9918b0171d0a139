namespace TcpScope.Decode;

/// <summary>Forwards every kind of event to each sink, in the order given.</summary>
/// <remarks>An array and plain loops: a foreach over an interface list allocates an enumerator per event.</remarks>
public sealed class EventFanOut(IReadOnlyList<IEventSink> sinks) : IEventSink
{
    private readonly IEventSink[] sinks = [.. sinks];

    public IReadOnlyList<IEventSink> Sinks => sinks;

    public void OnStateChange(in StateChange e)
    {
        foreach (IEventSink s in sinks)
        {
            s.OnStateChange(in e);
        }
    }

    public void OnSocketEvent(in SocketEvent e)
    {
        foreach (IEventSink s in sinks)
        {
            s.OnSocketEvent(in e);
        }
    }

    public void OnTotals(in SocketTotals e)
    {
        foreach (IEventSink s in sinks)
        {
            s.OnTotals(in e);
        }
    }

    public void OnIcmpError(in IcmpError e)
    {
        foreach (IEventSink s in sinks)
        {
            s.OnIcmpError(in e);
        }
    }

    public void OnStack(StackSample e)
    {
        foreach (IEventSink s in sinks)
        {
            s.OnStack(e);
        }
    }

    public void OnDrop(in PacketDrop e)
    {
        foreach (IEventSink s in sinks)
        {
            s.OnDrop(in e);
        }
    }

    public void OnIdle(long monotonicNowNs)
    {
        foreach (IEventSink s in sinks)
        {
            s.OnIdle(monotonicNowNs);
        }
    }
}
