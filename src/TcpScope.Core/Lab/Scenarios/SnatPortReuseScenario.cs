using System.Globalization;
using System.Net;
using System.Net.Sockets;
using TcpScope.Decode;

namespace TcpScope.Lab.Scenarios;

/// <summary>Two clients behind one SNAT address reuse each other's ports against a server that holds TIME_WAIT.</summary>
public sealed class SnatPortReuseScenario : ILabScenario
{
    public const int Port = 80;
    public const int FirstPort = 54321;
    public const string FirewallRole = "firewall";
    public const string SecondClientRole = "client2";

    private static readonly IPAddress NatAddress = IPAddress.Parse("198.18.3.1");
    private static readonly IPAddress ServerBehindNat = IPAddress.Parse("198.18.3.2");

    public string Name => "snat-port-reuse";

    public string Description =>
        "Two client namespaces (198.18.1.2, 198.18.2.2) sit behind a firewall namespace that SNATs both to 198.18.3.1, with a "
        + "1 s conntrack TIME_WAIT timeout (short NAT timeouts, conntrack pressure, NAT boxes sharing an address), towards an "
        + "HTTP/1.0 server on 198.18.3.2:80 that closes first. For each port (default 4, from 54321) client 1 fetches, then "
        + "1.5 s later client 2 connects from the same port: the NAT keeps the port and the SYN meets the server's TIME_WAIT. "
        + "Depending on the timestamps it is accepted, or rejected (PAWS) with a bare ACK that client 2 resets before its SYN "
        + "retransmit gets through. fw-drops-rst: the firewall drops RSTs, so the rejected connects time out.";

    public IReadOnlyList<string> Variants { get; } = ["default", "fw-drops-rst"];

    public void Run(LabRun lab)
    {
        int ports = Math.Clamp(lab.Options.Clients ?? 4, 1, 16);
        NetworkNamespace fw = lab.CreateNamespace(FirewallRole);
        NetworkNamespace client2 = lab.CreateNamespace(SecondClientRole);
        NetworkNamespace client1 = lab.Topology.Client, server = lab.Topology.Server;
        LabTopology.Link(client1, "198.18.1.2/24", fw, "198.18.1.1/24");
        LabTopology.Link(client2, "198.18.2.2/24", fw, "198.18.2.1/24");
        (string toServer, _) = LabTopology.Link(fw, $"{NatAddress}/24", server, $"{ServerBehindNat}/24");
        client1.IpIn("route", "add", "198.18.3.0/24", "via", "198.18.1.1");
        client2.IpIn("route", "add", "198.18.3.0/24", "via", "198.18.2.1");
        fw.SetSysctl("net.ipv4.ip_forward", "1");
        fw.Exec("iptables", "-t", "nat", "-A", "POSTROUTING", "-o", toServer, "-j", "SNAT", "--to-source", NatAddress.ToString());
        fw.SetSysctl("net.netfilter.nf_conntrack_tcp_timeout_time_wait", "1");
        if (lab.Variant == "fw-drops-rst")
        {
            fw.Exec("iptables", "-A", "FORWARD", "-p", "tcp", "--tcp-flags", "RST", "RST", "-j", "DROP");
        }

        var at = new IPEndPoint(ServerBehindNat, Port);
        using Socket listener = server.Run(() => LabSockets.Listen(at, 64), "lab-server");
        using var stop = new CancellationTokenSource();
        Task serving = server.RunInBackground(() => Serve(listener, stop.Token), "lab-server");
        try
        {
            for (int i = 0; i < ports; i++)
            {
                int client = 100 + i, port = FirstPort + i;
                client1.Run(
                    () =>
                    {
                        Fetch(lab, client, at, IPAddress.Parse("198.18.1.2"), port, TimeSpan.FromSeconds(5));
                        return 0;
                    },
                    "lab-client1");
            }

            int tw = lab.SocketsNow(LabRun.ServerRole).Count(s => s.State == TcpState.TIME_WAIT);
            lab.Say($"Client 1 fetched from ports {FirstPort}..{FirstPort + ports - 1} through the NAT; the server closed first and holds {tw} TIME_WAIT socket(s) for {NatAddress}.");
            lab.Pause(TimeSpan.FromSeconds(1.5)); // the firewall's conntrack entries expire, the server's TIME_WAITs do not

            TimeSpan timeout = lab.TimeoutOr(TimeSpan.FromSeconds(5));
            Task[] second = [.. Enumerable.Range(0, ports).Select(i => client2.RunInBackground(
                () => Fetch(lab, 200 + i, at, IPAddress.Parse("198.18.2.2"), FirstPort + i, timeout),
                "lab-client2"))];
            Task.WaitAll(second, timeout + TimeSpan.FromSeconds(10));
            lab.SnapshotSockets();
        }
        finally
        {
            stop.Cancel();
            serving.Wait(TimeSpan.FromSeconds(5));
        }

        // a reset and a retransmit take about 10 ms here; a direct accept well under 1 ms (for the story only: timing)
        int slow = lab.Count(200, c => c.Outcome == OutcomeKind.Connected && c.Elapsed > TimeSpan.FromMilliseconds(5));
        int failed = lab.Count(200, c => c.Outcome != OutcomeKind.Connected);
        lab.Fact("second_connects_failed", failed.ToString(CultureInfo.InvariantCulture));
        lab.Say($"Client 2 reused the same ports 1.5 s later (the NAT kept them): {ports - slow - failed} connected at once, "
            + $"{slow} only after some milliseconds (a bare ACK, a RST and a SYN retransmit; the client's TcpOutRsts tell exactly), {failed} failed.");
    }

    private static void Fetch(LabRun lab, int client, IPEndPoint server, IPAddress local, int port, TimeSpan timeout)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        s.Bind(new IPEndPoint(local, port));
        (Socket? c, ClientOutcome o) = LabSockets.Connect(client, server, timeout, lab.Cancellation, s);
        lab.Record(o);
        if (c is not null)
        {
            using (c)
            {
                c.Send(HttpCloseFirst.Request);
                LabSockets.ReceiveUpTo(c, 64, TimeSpan.FromSeconds(5)); // until the server's FIN
            }
        }
    }

    private static void Serve(Socket listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            if (!listener.Poll(100_000, SelectMode.SelectRead))
            {
                continue;
            }

            using Socket conn = listener.Accept();
            HttpCloseFirst.Respond(conn); // and close first
        }
    }
}
