using System.Net;
using System.Net.Sockets;

namespace TcpScope.Lab.Scenarios;

/// <summary>An HTTP/1.0 exchange in which the server closes first (it sends no Content-Length), leaving TIME_WAIT on the server.</summary>
internal static class HttpCloseFirst
{
    public static readonly byte[] Request = "GET / HTTP/1.0\r\n\r\n"u8.ToArray();
    public static readonly byte[] Reply = "HTTP/1.0 200 OK\r\n\r\nhello\n"u8.ToArray();

    /// <summary>Serves one request, then closes before the client does.</summary>
    public static void ServeOne(Socket listener, long pushBytes = 0)
    {
        using Socket conn = LoopbackExchange.Accept(listener);
        Respond(conn, pushBytes);
    }

    /// <summary>Reads the request (and what the client pushes after it) and replies; the caller closes.</summary>
    public static void Respond(Socket conn, long pushBytes = 0)
    {
        LabSockets.ReceiveUpTo(conn, Request.Length, TimeSpan.FromSeconds(5));
        if (pushBytes > 0)
        {
            Drain(conn, pushBytes); // a sink: reads what the client pushes, then closes first
        }

        conn.Send(Reply);
    }

    /// <summary>Fetches from <paramref name="localPort"/>, reads to the end and closes after the server.</summary>
    public static ClientOutcome Fetch(LabRun lab, int client, IPEndPoint server, int localPort, long pushBytes = 0)
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        s.Bind(new IPEndPoint(LabTopology.ClientAddress, localPort));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        s.Connect(server);
        var outcome = new ClientOutcome(client, OutcomeKind.Connected, watch.Elapsed, localPort);
        s.Send(Request);
        if (pushBytes > 0)
        {
            var chunk = new byte[1 << 16];
            for (long sent = 0; sent < pushBytes; sent += chunk.Length)
            {
                s.Send(chunk);
            }
        }

        LabSockets.ReceiveUpTo(s, Reply.Length + 1, TimeSpan.FromSeconds(10)); // the reply, then the server's FIN
        return outcome;
    }

    private static void Drain(Socket conn, long bytes)
    {
        var buf = new byte[1 << 16];
        conn.ReceiveTimeout = 10_000;
        for (long got = 0; got < bytes;)
        {
            int n = conn.Receive(buf);
            if (n == 0)
            {
                return;
            }

            got += n;
        }
    }
}
