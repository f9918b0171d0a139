using System.Net;
using System.Net.Sockets;
using TcpScope.Correlation;
using TcpScope.Decode;
using TcpScope.Lab;

namespace TcpScope.IntegrationTests;

/// <summary>
/// close() with unread data resets the connection: the kernel moves the socket to CLOSE first
/// and sends the RST after, so the socket must still be followed then for its record to say so.
/// </summary>
public class AbortiveCloseTests
{
    [PrivilegedFact]
    public void Close_with_unread_data_is_a_reset_sent_with_the_kernel_s_reason()
    {
        using NetworkNamespace ns = NetworkNamespace.Create("ts-abort");
        using ConnectionsRun trace = ConnectionsRun.Start(new Sources.StatesFilter { NetNs = ns.Inode });
        (int client, int server) = ns.Run(() =>
        {
            using Socket listener = ClosingConnections.Listen();
            using var c = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
            c.Connect(listener.LocalEndPoint!);
            Socket s = LoopbackExchange.Accept(listener);
            int ports = ((IPEndPoint)s.LocalEndPoint!).Port;
            c.Send(new byte[10]);
            Thread.Sleep(50);
            s.Close(); // 10 bytes never read: the kernel answers with an RST instead of a FIN
            var e = Assert.Throws<SocketException>(() => c.Receive(new byte[1]));
            Assert.Equal(SocketError.ConnectionReset, e.SocketErrorCode);
            Thread.Sleep(100);
            return (((IPEndPoint)c.LocalEndPoint!).Port, ports);
        });
        trace.Stop();

        List<Connection> closes = [.. trace.Life.Where(l => l.Kind == "X").Select(l => l.Connection)];
        Connection s = Assert.Single(closes, x => x.LocalPort == server && x.Origin == ConnectionOrigin.Passive);
        Connection c = Assert.Single(closes, x => x.LocalPort == client);
        Assert.Equal(1, s.ResetsSent);
        Assert.Equal("TCP_ABORT_ON_CLOSE", s.LastResetReason);
        Assert.Equal(TcpState.ESTABLISHED, c.ResetReceivedIn);
        Assert.False(s.Incomplete || c.Incomplete);
    }
}
