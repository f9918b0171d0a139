using System.Net;
using TcpScope.Decode;
using TcpScope.Lab;
using TcpScope.Sources;

namespace TcpScope.IntegrationTests;

/// <summary>The kernel-side filters: what they let through and what they keep out.</summary>
public class StatesFilterTests
{
    private static readonly byte[] Ping = "ping"u8.ToArray();

    /// <summary>Conversations with servers on :18080 and :18081 in a fresh namespace, traced through <paramref name="filter"/>.</summary>
    private static IReadOnlyList<StateChange> TwoServers(string name, Func<uint, StatesFilter> filter)
    {
        using NetworkNamespace ns = NetworkNamespace.Create(name);
        using TracedRun run = TracedRun.Start(filter(ns.Inode));
        ns.Run(() =>
        {
            LoopbackExchange.Run(IPAddress.Loopback, Ping, Ping, port: 18080);
            return LoopbackExchange.Run(IPAddress.Loopback, Ping, Ping, port: 18081);
        });
        return run.Stop().Events;
    }

    [PrivilegedFact]
    public void A_local_port_filter_keeps_only_that_server_and_its_connections()
    {
        IReadOnlyList<StateChange> events = TwoServers("ts-lport", ns => new StatesFilter { NetNs = ns, LocalPorts = [18080] });

        // the listener (2) and the accepted socket (5) of :18080; the clients have ephemeral ports
        Assert.Equal(7, events.Count);
        Assert.All(events, e => Assert.Equal(18080, e.LocalPort));
    }

    [PrivilegedFact]
    public void A_remote_port_filter_keeps_only_the_clients_of_that_port()
    {
        IReadOnlyList<StateChange> events = TwoServers("ts-rport", ns => new StatesFilter { NetNs = ns, RemotePorts = [18081] });

        Assert.Equal(["CLOSE>SYN_SENT", "SYN_SENT>ESTABLISHED", "ESTABLISHED>FIN_WAIT1", "FIN_WAIT1>FIN_WAIT2", "FIN_WAIT2>CLOSE"], events.Select(e => $"{e.OldState}>{e.NewState}"));
        Assert.All(events, e => Assert.Equal(18081, e.RemotePort));
    }

    [PrivilegedFact]
    public void A_namespace_filter_excludes_other_namespaces()
    {
        using NetworkNamespace watched = NetworkNamespace.Create("ts-watched");
        using NetworkNamespace other = NetworkNamespace.Create("ts-other");
        IReadOnlyList<StateChange> events;
        using (TracedRun run = TracedRun.Start(new StatesFilter { NetNs = watched.Inode }))
        {
            other.Run(() => LoopbackExchange.Run(IPAddress.Loopback, Ping, Ping, port: 18080));
            watched.Run(() => LoopbackExchange.Run(IPAddress.Loopback, Ping, Ping, port: 18080));
            other.Run(() => LoopbackExchange.Run(IPAddress.Loopback, Ping, Ping, port: 18080));
            events = run.Stop().Events;
        }

        Assert.Equal(12, events.Count);
        Assert.All(events, e => Assert.Equal(watched.Inode, e.NetNs));
    }

    [PrivilegedFact]
    public void A_family_filter_excludes_the_other_family()
    {
        using NetworkNamespace ns = NetworkNamespace.Create("ts-family");
        IReadOnlyList<StateChange> events;
        using (TracedRun run = TracedRun.Start(new StatesFilter { NetNs = ns.Inode, Family = AddressFamilyKind.IPv6 }))
        {
            ns.Run(() =>
            {
                LoopbackExchange.Run(IPAddress.Loopback, Ping, Ping);
                return LoopbackExchange.Run(IPAddress.IPv6Loopback, Ping, Ping);
            });
            events = run.Stop().Events;
        }

        Assert.Equal(12, events.Count);
        Assert.All(events, e => Assert.Equal(AddressFamilyKind.IPv6, e.Family));
    }

    [PrivilegedFact]
    public void A_pid_filter_keeps_the_owner_process_and_drops_others()
    {
        using NetworkNamespace ns = NetworkNamespace.Create("ts-pid");
        int mine, others;
        using (TracedRun run = TracedRun.Start(new StatesFilter { NetNs = ns.Inode, Pid = (uint)Environment.ProcessId }))
        {
            ns.Run(() => LoopbackExchange.Run(IPAddress.Loopback, Ping, Ping));
            mine = run.Stop().Events.Count;
        }

        using (TracedRun run = TracedRun.Start(new StatesFilter { NetNs = ns.Inode, Pid = 1 }))
        {
            ns.Run(() => LoopbackExchange.Run(IPAddress.Loopback, Ping, Ping));
            others = run.Stop().Events.Count;
        }

        Assert.Equal(12, mine);
        Assert.Equal(0, others);
    }
}
