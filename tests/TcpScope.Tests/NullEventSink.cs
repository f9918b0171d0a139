using TcpScope.Decode;

namespace TcpScope.Tests;

/// <summary>A sink for tests that only count what reaches it elsewhere, or measure what the way there costs.</summary>
internal sealed class NullEventSink : IEventSink
{
    public void OnStateChange(in StateChange e)
    {
    }

    public void OnSocketEvent(in SocketEvent e)
    {
    }

    public void OnTotals(in SocketTotals e)
    {
    }

    public void OnIcmpError(in IcmpError e)
    {
    }

    public void OnStack(StackSample e)
    {
    }

    public void OnDrop(in PacketDrop e)
    {
    }

    public void OnIdle(long monotonicNowNs)
    {
    }
}
