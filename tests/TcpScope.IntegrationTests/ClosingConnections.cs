using System.Net;
using System.Net.Sockets;
using TcpScope.Lab;

namespace TcpScope.IntegrationTests;

/// <summary>
/// Loopback connections that the client closes first, each making exactly 10 state
/// transitions (5 on the client, 5 on the accepted socket); the listener adds 2 of its own.
/// Every blocking step has a timeout. Call from a thread inside the namespace to trace.
/// </summary>
internal static class ClosingConnections
{
    public const int TransitionsPerConnection = 10;
    public const int ListenerTransitions = 2;

    private const int TimeoutMs = 5000;

    public static Socket Listen()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(64);
        return listener;
    }

    public static void Run(Socket listener, int count)
    {
        for (int i = 0; i < count; i++)
        {
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.Connect(listener.LocalEndPoint!);
            using Socket server = LoopbackExchange.Accept(listener);
            server.ReceiveTimeout = TimeoutMs;
            client.Close();
            if (server.Receive(new byte[1]) != 0)
            {
                throw new InvalidOperationException("expected end of stream from the client");
            }
        }
    }
}
