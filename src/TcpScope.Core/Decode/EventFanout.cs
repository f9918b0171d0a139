namespace TcpScope.Decode;

/// <summary>Passes every event to several sinks, in order.</summary>
public sealed class EventFanout(params IEventSink[] sinks) : IEventSink
{
    public void OnStateChange(in StateChange e)
    {
        foreach (IEventSink s in sinks)
        {
            s.OnStateChange(in e);
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
