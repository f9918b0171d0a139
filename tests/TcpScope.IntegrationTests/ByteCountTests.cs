using System.Net;
using System.Net.Sockets;
using TcpScope.Correlation;
using TcpScope.Lab;

namespace TcpScope.IntegrationTests;

/// <summary>
/// TX/RX are the application's bytes whoever closes first and however late the other end does:
/// close() sets both shutdown bits, so only the kernel's own mark of a received FIN says whether
/// the count holds a FIN's sequence number.
/// </summary>
public class ByteCountTests
{
    [PrivilegedFact]
    public void Bytes_are_right_for_a_client_that_closes_first_while_the_server_closes_later()
    {
        const int Request = 64, Reply = 3000;
        using NetworkNamespace ns = NetworkNamespace.Create("ts-bytes");
        using ConnectionsRun trace = ConnectionsRun.Start(new Sources.StatesFilter { NetNs = ns.Inode });
        (int client, int server) = ns.Run(() =>
        {
            using Socket listener = ClosingConnections.Listen();
            var c = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
            c.Connect(listener.LocalEndPoint!);
            using Socket s = LoopbackExchange.Accept(listener);
            s.ReceiveTimeout = 5000;
            c.Send(new byte[Request]);
            LoopbackExchange.ReceiveExactly(s, Request);
            s.Send(new byte[Reply]);
            LoopbackExchange.ReceiveExactly(c, Reply);
            int port = ((IPEndPoint)c.LocalEndPoint!).Port, serverPort = ((IPEndPoint)s.LocalEndPoint!).Port;
            c.Close(); // orphaned: its FIN_WAIT2 becomes a mini-socket before the server's FIN comes
            Assert.Equal(0, s.Receive(new byte[1]));
            Thread.Sleep(100);
            s.Close();
            Thread.Sleep(100);
            return (port, serverPort);
        });
        trace.Stop();

        List<Connection> closes = [.. trace.Life.Where(l => l.Kind == "X").Select(l => l.Connection)];
        Connection c = Assert.Single(closes, x => x.LocalPort == client);
        Connection s = Assert.Single(closes, x => x.LocalPort == server && x.Origin == ConnectionOrigin.Passive);
        Assert.Equal(((ulong)Request, (ulong)Reply), (c.BytesSent, c.BytesReceived));
        Assert.Equal(((ulong)Reply, (ulong)Request), (s.BytesSent, s.BytesReceived));
    }
}
