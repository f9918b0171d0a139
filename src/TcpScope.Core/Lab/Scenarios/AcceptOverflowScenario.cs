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
        + "of the rest are dropped (ListenOverflows, ListenDrops), they retransmit and time out (default 5 s). "
        + "Options: --backlog, --clients, --timeout, --abort-on-overflow, --syncookies.";

    public IReadOnlyList<string> Variants { get; } = ["syn-time"];

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
        var held = new List<Socket>();
        for (int i = 1; i <= count; i++)
        {
            int client = i;
            lab.Topology.Client.RunInBackground(
                () =>
                {
                    try
                    {
                        (Socket? s, ClientOutcome o) = LabSockets.Connect(client, at, timeout, lab.Cancellation);
                        lab.Record(o);
                        if (s is not null)
                        {
                            s.Send("helloworld"u8);
                            lock (held)
                            {
                                held.Add(s);
                            }
                        }
                    }
                    finally
                    {
                        done.Signal();
                    }
                },
                $"lab-client{client}");
            lab.Pause(TimeSpan.FromMilliseconds(300));
        }

        try
        {
            done.Wait(timeout + TimeSpan.FromSeconds(10), lab.Cancellation);
            lab.SnapshotSockets(); // while the connected clients still hold their sockets
        }
        finally
        {
            lock (held)
            {
                held.ForEach(s => s.Dispose());
            }
        }

        lab.Say($"The server listens with backlog {backlog} and never accepts: its accept queue holds {backlog + 1} connections.");
        lab.Say($"{count} clients connected 0.3 s apart with a {timeout.TotalSeconds:0.#} s timeout.");
    }
}
