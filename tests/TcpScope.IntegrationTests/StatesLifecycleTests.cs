using System.Net;
using TcpScope.Decode;
using TcpScope.Decode.Abi;
using TcpScope.Lab;
using TcpScope.Sources;

namespace TcpScope.IntegrationTests;

/// <summary>
/// One real conversation in a fresh network namespace (request, reply, client closes first),
/// traced by each attach mode, over IPv4 and IPv6: the exact transitions of all three
/// sockets. On this kernel no TIME_WAIT transition exists: a socket entering it shows
/// FIN_WAIT2 -> CLOSE when the timewait mini-socket replaces it.
/// </summary>
public class StatesLifecycleTests
{
    private const string ThreadName = "ts-lifecycle";

    public static TheoryData<AttachMode, string> Cases => new()
    {
        { AttachMode.TpBtf, "127.0.0.1" },
        { AttachMode.TpBtf, "::1" },
        { AttachMode.Tracepoint, "127.0.0.1" },
        { AttachMode.Tracepoint, "::1" },
    };

    [PrivilegedTheory]
    [MemberData(nameof(Cases))]
    public void A_conversation_shows_every_transition_of_both_ends(AttachMode mode, string address)
    {
        using NetworkNamespace ns = NetworkNamespace.Create("ts-life");
        var ip = IPAddress.Parse(address);
        LoopbackExchange.Endpoints ends;
        IReadOnlyList<StateChange> events;
        using (TracedRun run = TracedRun.Start(new StatesFilter { NetNs = ns.Inode }, mode))
        {
            ends = ns.Run(() => LoopbackExchange.Run(ip, "ping"u8.ToArray(), "pong"u8.ToArray()), ThreadName);
            (events, SourceStats stats) = run.Stop();
            Assert.Equal(0UL, stats.Lost);
        }

        var bySocket = events.GroupBy(e => e.Socket).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(3, bySocket.Count);
        List<StateChange> client = bySocket.Values.Single(s => s[0].NewState == TcpState.SYN_SENT);
        List<StateChange> child = bySocket.Values.Single(s => s[0].OldState == TcpState.LISTEN);
        List<StateChange> listener = bySocket.Values.Single(s => s[0].NewState == TcpState.LISTEN);

        AssertPath(client, "CLOSE>SYN_SENT", "SYN_SENT>ESTABLISHED", "ESTABLISHED>FIN_WAIT1", "FIN_WAIT1>FIN_WAIT2", "FIN_WAIT2>CLOSE");
        AssertPath(child, "LISTEN>SYN_RECV", "SYN_RECV>ESTABLISHED", "ESTABLISHED>CLOSE_WAIT", "CLOSE_WAIT>LAST_ACK", "LAST_ACK>CLOSE");
        AssertPath(listener, "CLOSE>LISTEN", "LISTEN>CLOSE");

        int listenPort = ends.Listener.Port, clientPort = ends.Client.Port;
        AddressFamilyKind family = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? AddressFamilyKind.IPv6 : AddressFamilyKind.IPv4;
        Assert.All(events, e =>
        {
            Assert.Equal(ns.Inode, e.NetNs);
            Assert.Equal(family, e.Family);
            Assert.Equal(address, AddressText.ToString(e.Family, e.LocalAddress));
        });

        // the port of an unbound socket is chosen after CLOSE>SYN_SENT; every later event has it
        Assert.Equal(0, client[0].LocalPort);
        Assert.All(client.Skip(1), e => Assert.Equal(clientPort, e.LocalPort));
        Assert.All(client, e => Assert.Equal((listenPort, address), (e.RemotePort, AddressText.ToString(e.Family, e.RemoteAddress))));
        Assert.All(child, e => Assert.Equal((listenPort, clientPort), (e.LocalPort, e.RemotePort)));
        Assert.All(listener, e => Assert.Equal((listenPort, 0), (e.LocalPort, e.RemotePort)));

        foreach (List<StateChange> socket in new[] { client, child, listener })
        {
            Assert.False(socket[0].DeltaKnown);
            for (int i = 1; i < socket.Count; i++)
            {
                // MS is the time since the socket's previous transition, to the nanosecond
                Assert.True(socket[i].DeltaKnown);
                Assert.Equal(socket[i].TimestampNs - socket[i - 1].TimestampNs, socket[i].DeltaNs);
                Assert.InRange(socket[i].DeltaNs, 0, 5_000_000_000);
            }
        }

        // every socket is attributed to this process: connect/listen/close ran here, and the
        // accepted child inherits the listener's owner even where softirq did the work
        Assert.All(events, e =>
        {
            Assert.True(e.OwnerKnown);
            Assert.Equal((uint)Environment.ProcessId, e.OwnerPid);
            Assert.Equal(ThreadName, CommText.ToString(e.OwnerComm));
        });
        // until the process touches the child itself (close() at CLOSE_WAIT>LAST_ACK)
        Assert.All(child.Take(3), e => Assert.True((e.Flags & StateEventFlags.OwnerFromListener) != 0));
        Assert.All(child.Skip(3), e => Assert.False((e.Flags & StateEventFlags.OwnerFromListener) != 0));
    }

    private static void AssertPath(List<StateChange> socket, params string[] path) =>
        Assert.Equal(path, socket.Select(e => $"{e.OldState}>{e.NewState}"));
}
