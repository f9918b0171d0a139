using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TcpScope.Lab.Scenarios;

/// <summary>A listener whose application never calls accept(): the accept queue fills and SYNs are dropped.</summary>
public sealed class AcceptOverflowScenario : ILabScenario
{
    public const int Port = 8080;

    public string Name => "accept-overflow";

    public string Description =>
        "A server listens on 198.18.0.2:8080 with a small backlog (default 2) and never calls accept(). Clients (default 10) "
        + "connect 0.3 s apart, each sends \"helloworld\" and waits. The accept queue holds backlog+1 connections; the SYNs "
        + "of the rest are dropped (ListenOverflows, ListenDrops), they retransmit and time out (default 5 s) - syn-time. "
        + "ack-time: one client connects, then the rest at once while the client's egress is slowed (tc tbf) for 3 s, so "
        + "every SYN arrives before its handshake ACK (the race of high connection rates): every client sees its connect "
        + "succeed, but the ACKs that find the accept queue full are dropped, and the server keeps fewer connections than "
        + "the clients believe they have. Options: --backlog, --clients, --timeout, --abort-on-overflow, --syncookies.";

    public IReadOnlyList<string> Variants { get; } = ["syn-time", "ack-time"];

    public void Run(LabRun lab)
    {
        int backlog = lab.Options.Backlog ?? 2;
        int count = Math.Clamp(lab.Options.Clients ?? 10, 1, 64);
        TimeSpan timeout = lab.TimeoutOr(TimeSpan.FromSeconds(5));
        if (lab.Options.AbortOnOverflow)
        {
            lab.Topology.Server.SetSysctl("net.ipv4.tcp_abort_on_overflow", "1");
        }

        if (lab.Options.Syncookies is int cookies)
        {
            lab.Topology.Server.SetSysctl("net.ipv4.tcp_syncookies", cookies.ToString(CultureInfo.InvariantCulture));
        }

        var at = new IPEndPoint(LabTopology.ServerAddress, Port);
        using Socket listener = lab.Topology.Server.Run(() => LabSockets.Listen(at, backlog), "lab-server");
        using var done = new CountdownEvent(count);
        var held = new List<(Socket Socket, ClientOutcome Outcome)>();
        bool ackTime = lab.Variant == "ack-time";
        using var gate = new ManualResetEventSlim(!ackTime); // ack-time: the burst starts together
        using var ready = new CountdownEvent(ackTime ? count - 1 : 0);
        for (int i = 1; i <= count; i++)
        {
            int client = i;
            if (ackTime && i == 2)
            {
                // from here on the handshake ACKs queue behind a 8 kbit/s bucket: SYNs reach the server first
                lab.Topology.Client.Exec("tc", "qdisc", "add", "dev", lab.Topology.ClientDevice, "root", "tbf", "rate", "8kbit", "burst", "200", "latency", "5s");
            }

            lab.Topology.Client.RunInBackground(
                () =>
                {
                    try
                    {
                        if (ackTime && client > 1)
                        {
                            ready.Signal();
                            gate.Wait(lab.Cancellation);
                        }

                        (Socket? s, ClientOutcome o) = LabSockets.Connect(client, at, timeout, lab.Cancellation);
                        lab.Record(o);
                        if (s is not null)
                        {
                            s.Send("helloworld"u8);
                            lock (held)
                            {
                                held.Add((s, o));
                            }
                        }
                    }
                    finally
                    {
                        done.Signal();
                    }
                },
                $"lab-client{client}");
            lab.Pause(TimeSpan.FromMilliseconds(ackTime && i > 1 ? 0 : 300));
        }

        if (ackTime)
        {
            ready.Wait(TimeSpan.FromSeconds(10), lab.Cancellation);
            DrainTokenBucket(lab);
            gate.Set();
        }

        int established = 0, halfOpen = 0;
        try
        {
            if (ackTime)
            {
                lab.Pause(TimeSpan.FromSeconds(3));
                lab.Topology.Client.Exec("tc", "qdisc", "del", "dev", lab.Topology.ClientDevice, "root");
                lab.Pause(TimeSpan.FromSeconds(1));
            }

            done.Wait(timeout + TimeSpan.FromSeconds(10), lab.Cancellation);
            lab.SnapshotSockets(); // while the connected clients still hold their sockets
            var serverSockets = lab.SocketsNow(LabRun.ServerRole).Where(s => s.Local.Port == Port).ToList();
            established = serverSockets.Count(s => s.State == Decode.TcpState.ESTABLISHED);
            halfOpen = serverSockets.Count(s => s.State == Decode.TcpState.SYN_RECV);
        }
        finally
        {
            lock (held)
            {
                foreach ((Socket s, ClientOutcome o) in held)
                {
                    // a connection the listener reset afterwards (tcp_abort_on_overflow): the
                    // application learns it from its next call; SO_ERROR says it without reading
                    if ((SocketError)(int)s.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)! == SocketError.ConnectionReset)
                    {
                        lab.Replace(o with { Outcome = OutcomeKind.Reset, Error = "connected then; the server reset it later: ECONNRESET" });
                    }

                    s.Dispose();
                }
            }
        }

        lab.Say($"The server listens with backlog {backlog} and never accepts: its accept queue holds {backlog + 1} connections.");
        lab.Say(ackTime
            ? $"{count} clients connected, all but the first at once behind a slowed egress, with a {timeout.TotalSeconds:0.#} s timeout."
            : $"{count} clients connected 0.3 s apart with a {timeout.TotalSeconds:0.#} s timeout.");
        lab.Fact("server_established", established.ToString(CultureInfo.InvariantCulture));
        lab.Say($"The clients believe {lab.Count(1, c => c.Outcome == OutcomeKind.Connected)} connection(s) are established; "
            + $"the server holds {established} (and {halfOpen} half-open request(s)).");
        if (lab.Options.AbortOnOverflow)
        {
            int reset = lab.Count(1, c => c.Outcome == OutcomeKind.Reset);
            lab.Say($"With tcp_abort_on_overflow=1 the listener answers a handshake ACK that finds its accept queue full with an RST "
                + $"(only for requests it holds; ACKs of SYN cookies are dropped silently): {reset} client(s) were reset after connecting.");
        }
    }

    /// <summary>
    /// Queues a few datagrams first, so the bucket is empty when the burst starts: every SYN then
    /// waits in the queue, and each handshake ACK lines up behind all of them, whatever the order
    /// in which the client threads wake.
    /// </summary>
    private static void DrainTokenBucket(LabRun lab) =>
        lab.Topology.Client.Run(
            () =>
            {
                using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                for (int i = 0; i < 3; i++)
                {
                    udp.SendTo(new byte[120], new IPEndPoint(LabTopology.ServerAddress, 9)); // discard port
                }

                return 0;
            },
            "lab-filler");
}
