using System.Globalization;
using System.Net;
using System.Net.Sockets;
using TcpScope.Decode;
using TcpScope.Lab;
using TcpScope.Sources.Sockets;

namespace TcpScope.IntegrationTests;

/// <summary>
/// sock_diag against the real kernel: listeners with known backlogs in a namespace of the
/// test's own, clients that are never accepted, and handshakes whose last ACK a firewall rule
/// drops (request sockets). What the dump says is checked against the kernel's rules and
/// against `ss -ltn` in the same namespace.
/// </summary>
public class SockDiagTests
{
    private const int HalfOpenPort = 8083;

    [PrivilegedFact]
    public void Listeners_show_accept_queue_limit_and_half_open_requests_as_ss_does()
    {
        using NetworkNamespace ns = NetworkNamespace.Create("ts-sockdiag");
        ns.Exec("iptables", "-A", "INPUT", "-p", "tcp", "--dport", HalfOpenPort.ToString(CultureInfo.InvariantCulture), "--tcp-flags", "SYN,ACK,FIN,RST", "ACK", "-j", "DROP");
        var held = new List<Socket>();
        try
        {
            ns.Run(
                () =>
                {
                    Listen(held, IPAddress.Loopback, 8080, backlog: 3);
                    Listen(held, IPAddress.Loopback, 8081, backlog: 7);
                    Listen(held, IPAddress.IPv6Loopback, 8082, backlog: 1);
                    Listen(held, IPAddress.Loopback, HalfOpenPort, backlog: 16);
                    for (int i = 0; i < 6; i++)
                    {
                        Connect(held, IPAddress.Loopback, 8080); // 4 fit (the queue holds backlog + 1), 2 stay in SYN_SENT
                    }

                    for (int i = 0; i < 2; i++)
                    {
                        Connect(held, IPAddress.Loopback, 8081);
                    }

                    for (int i = 0; i < 3; i++)
                    {
                        Connect(held, IPAddress.Loopback, HalfOpenPort);
                    }

                    return 0;
                },
                "sockdiag-test");
            Thread.Sleep(300); // the handshakes on loopback complete in microseconds; leave room on a busy machine

            // read from this thread, which stays in the host's namespace: the reader's socket belongs to ns
            using SockDiagReader reader = SockDiagReader.OpenNamespace(ns.Name);
            List<SocketEntry> sockets = reader.Read(KernelEnums.LoadOrBuiltIn());
            string ss = ns.Exec("ss", "-ltnH");

            var listeners = sockets.Where(s => s.State == TcpState.LISTEN).ToDictionary(s => s.Local.Port);
            Assert.Equal(4, listeners.Count);
            Assert.Equal((4u, (uint?)3u, 0), Queue(listeners[8080]));
            Assert.Equal((2u, (uint?)7u, 0), Queue(listeners[8081]));
            Assert.Equal((0u, (uint?)1u, 0), Queue(listeners[8082]));
            Assert.Equal((0u, (uint?)16u, 3), Queue(listeners[HalfOpenPort]));
            Assert.Equal(IPAddress.IPv6Loopback, listeners[8082].Local.Address);
            Assert.Equal(2, sockets.Count(s => s.State == TcpState.SYN_SENT && s.Remote.Port == 8080));
            Assert.Equal(3, sockets.Count(s => s.State == TcpState.SYN_RECV && s.Local.Port == HalfOpenPort && s.Inode == 0));
            Assert.All(listeners.Values, l => Assert.NotEqual(0UL, l.Inode));

            // ss -ltnH: "LISTEN 4 3 127.0.0.1:8080 0.0.0.0:*", one line per listener
            var fromSs = ss.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .ToDictionary(f => IPEndPoint.Parse(f[3]).Port, f => (uint.Parse(f[1], CultureInfo.InvariantCulture), uint.Parse(f[2], CultureInfo.InvariantCulture)));
            Assert.Equal(fromSs.Keys.Order(), listeners.Keys.Order());
            Assert.All(listeners, p => Assert.Equal(fromSs[p.Key], (p.Value.ReceiveQueue, p.Value.AcceptQueueLimit!.Value)));

            // this process holds the listeners; the unaccepted children and the requests have no owner
            SocketOwnerMap owners = SocketOwnerScan.Scan("/proc", sockets.Select(s => s.Inode).Where(i => i != 0).ToHashSet());
            Assert.All(listeners.Values, l => Assert.Contains(owners.Owners(l.Inode), o => o.Pid == Environment.ProcessId));
            Assert.Contains("LISTEN 127.0.0.1:8080, 4 of 3 waiting for accept() (full)", listeners[8080].ToString(), StringComparison.Ordinal);
            Assert.Equal("LISTEN 127.0.0.1:8083, 0 of 16 waiting for accept(), 3 half-open", listeners[HalfOpenPort].ToString());
        }
        finally
        {
            foreach (Socket s in held)
            {
                s.Dispose();
            }
        }
    }

    [PrivilegedFact]
    public void A_reader_of_this_namespace_sees_a_listener_made_here()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(37);
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;

        List<SocketEntry> sockets = SockDiag.ReadCurrentNamespace(KernelEnums.LoadOrBuiltIn());

        SocketEntry l = Assert.Single(sockets, s => s.State == TcpState.LISTEN && s.Local.Port == port);
        Assert.Equal(37u, l.AcceptQueueLimit);
    }

    private static (uint Queue, uint? Limit, int HalfOpen) Queue(SocketEntry l) => (l.ReceiveQueue, l.AcceptQueueLimit, l.HalfOpen);

    private static void Listen(List<Socket> held, IPAddress address, int port, int backlog)
    {
        var s = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        held.Add(s);
        s.Bind(new IPEndPoint(address, port));
        s.Listen(backlog);
    }

    private static void Connect(List<Socket> held, IPAddress address, int port)
    {
        var s = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
        held.Add(s);
        try
        {
            s.Connect(new IPEndPoint(address, port));
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
        }

        Thread.Sleep(20); // one at a time, so that which ones find the queue full is known
    }
}
