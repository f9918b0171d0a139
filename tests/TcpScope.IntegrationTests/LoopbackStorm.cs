using System.Net;
using System.Net.Sockets;
using TcpScope.Lab;

namespace TcpScope.IntegrationTests;

/// <summary>
/// A bounded connection storm inside the calling thread's network namespace: each connection
/// sends <see cref="Payload"/> bytes, gets as many back, and the client closes first, so it makes
/// exactly 10 state transitions, one connect() and one accept() return and two byte-count
/// records (one per end). Optionally every Nth connect goes to a closed port (refused).
/// </summary>
internal static class LoopbackStorm
{
    public const int Payload = 64;

    /// <summary>Records the kernel sends for one storm connection: 10 transitions (both ends), connect() and accept() returns, 2 totals.</summary>
    public const int ConnRecordsPerConnection = 14;

    public const int StateRecordsPerConnection = ClosingConnections.TransitionsPerConnection;

    /// <summary>Records of the storm's listener itself: CLOSE -> LISTEN and LISTEN -> CLOSE.</summary>
    public const int ListenerRecords = ClosingConnections.ListenerTransitions;

    public sealed record Result(int Established, int Refused, int ListenerPort, int ClosedPort);

    /// <param name="connections">Connect attempts to make (bounded in count).</param>
    /// <param name="refusedEvery">Every Nth attempt goes to a port nobody listens on; 0: none.</param>
    /// <param name="limit">Stops earlier when this much time has passed.</param>
    public static Result Run(int connections, int refusedEvery = 0, TimeSpan? limit = null)
    {
        using Socket listener = ClosingConnections.Listen();
        var at = (IPEndPoint)listener.LocalEndPoint!;
        int closedPort = ClosedPort();
        int established = 0, refused = 0;
        var stop = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(30));
        int toServe = 0;
        var served = new SemaphoreSlim(0);

        // the accepted sockets live in the listener's namespace whatever thread accepts them
        var server = new Thread(() =>
        {
            var buf = new byte[Payload];
            while (true)
            {
                Socket s;
                try
                {
                    s = LoopbackExchange.Accept(listener);
                }
                catch (Exception)
                {
                    return; // listener closed or nothing more to accept
                }

                using (s)
                {
                    s.ReceiveTimeout = 5000;
                    LoopbackExchange.ReceiveExactly(s, Payload);
                    s.Send(buf);
                    while (s.Receive(buf) > 0)
                    {
                    }
                }

                served.Release();
            }
        })
        { IsBackground = true, Name = "storm-server" };
        server.Start();

        var request = new byte[Payload];
        for (int i = 1; i <= connections && DateTime.UtcNow < stop; i++)
        {
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000, SendTimeout = 5000 };
            if (refusedEvery > 0 && i % refusedEvery == 0)
            {
                try
                {
                    client.Connect(new IPEndPoint(IPAddress.Loopback, closedPort));
                    throw new InvalidOperationException($"port {closedPort} accepted a connection");
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
                {
                    refused++;
                }

                continue;
            }

            client.Connect(at);
            client.Send(request);
            LoopbackExchange.ReceiveExactly(client, Payload);
            client.Close();
            established++;
            toServe++;
        }

        // every server side closed, so every connection made all its transitions
        for (int i = 0; i < toServe; i++)
        {
            if (!served.Wait(TimeSpan.FromSeconds(10)))
            {
                throw new TimeoutException($"the storm's server finished {i} of {toServe} connections");
            }
        }

        listener.Close();
        server.Join(TimeSpan.FromSeconds(10));
        return new Result(established, refused, at.Port, closedPort);
    }

    /// <summary>A port nobody listens on: bound and released, never listened on.</summary>
    private static int ClosedPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }
}
