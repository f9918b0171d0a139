using System.Net;
using System.Net.Sockets;
using TcpScope.Decode;
using TcpScope.Lab;

namespace TcpScope.IntegrationTests;

/// <summary>
/// A listener opened before the trace: the kernel side never saw its listen(), so its owner comes
/// from the socket tables at start (sock_diag, /proc/*/fd), and its passive children carry it.
/// </summary>
public class ListenerSeedTests
{
    [PrivilegedFact]
    public void A_listener_opened_before_the_trace_gives_its_owner_to_its_passive_children()
    {
        using NetworkNamespace ns = NetworkNamespace.Create("ts-seed");
        // this process listens before any program is loaded
        using Socket listener = ns.Run(ClosingConnections.Listen);
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        string comm = File.ReadAllText("/proc/self/comm").Trim();

        using TracedRun trace = TracedRun.Start(new Sources.StatesFilter { NetNs = ns.Inode });
        ns.Run(() =>
        {
            using var c = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            c.Connect(listener.LocalEndPoint!);
            using Socket s = LoopbackExchange.Accept(listener);
            Thread.Sleep(50);
            return 0;
        });
        (IReadOnlyList<StateChange> events, _) = trace.Stop();

        StateChange child = Assert.Single(events, e => e.OldState == TcpState.LISTEN && e.NewState == TcpState.SYN_RECV && e.LocalPort == port);
        Assert.True(child.OwnerKnown, "the passive child has no owner: the listener's was not learnt at start");
        Assert.Equal(((uint)Environment.ProcessId, comm), (child.OwnerPid, CommText.ToString(child.OwnerComm)));
    }
}
