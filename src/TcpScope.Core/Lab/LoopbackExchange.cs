using System.Net;
using System.Net.Sockets;

namespace TcpScope.Lab;

/// <summary>
/// A complete TCP conversation inside the calling thread's network namespace: a listener,
/// a client that sends a request and reads the reply, the client closing first, then the server.
/// Every step has a timeout, so a broken namespace fails fast instead of hanging.
/// </summary>
public static class LoopbackExchange
{
    private const int TimeoutMs = 5000;

    /// <summary>The two ends of the connection, as the kernel bound them.</summary>
    public sealed record Endpoints(IPEndPoint Listener, IPEndPoint Client, IPEndPoint ServerSide);

    /// <param name="port">The listening port; 0 lets the kernel choose.</param>
    public static Endpoints Run(IPAddress address, byte[] request, byte[] reply, int port = 0)
    {
        using var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(address, port));
        listener.Listen(4);
        var listenerEnd = (IPEndPoint)listener.LocalEndPoint!;

        using var client = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
        {
            ReceiveTimeout = TimeoutMs,
            SendTimeout = TimeoutMs,
        };
        client.Connect(listenerEnd);
        using Socket server = Accept(listener);
        server.ReceiveTimeout = TimeoutMs;

        client.Send(request);
        ReceiveExactly(server, request.Length);
        server.Send(reply);
        ReceiveExactly(client, reply.Length);
        var endpoints = new Endpoints(listenerEnd, (IPEndPoint)client.LocalEndPoint!, (IPEndPoint)server.LocalEndPoint!);

        client.Close(); // client closes first: FIN_WAIT on its side, CLOSE_WAIT on the server's
        if (server.Receive(new byte[1]) != 0)
        {
            throw new InvalidOperationException("expected end of stream from the client");
        }

        server.Close();
        return endpoints;
    }

    /// <summary>Accepts one connection, failing after the timeout instead of blocking forever.</summary>
    public static Socket Accept(Socket listener)
    {
        if (!listener.Poll(TimeoutMs * 1000, SelectMode.SelectRead))
        {
            throw new TimeoutException("no connection to accept");
        }

        return listener.Accept();
    }

    public static byte[] ReceiveExactly(Socket s, int count)
    {
        var buf = new byte[count];
        int got = 0;
        while (got < count)
        {
            int n = s.Receive(buf, got, count - got, SocketFlags.None);
            if (n == 0)
            {
                throw new InvalidOperationException($"connection closed after {got} of {count} bytes");
            }

            got += n;
        }

        return buf;
    }
}
