using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TcpScope.Lab;

/// <summary>Client and server building blocks of the scenarios; call them on a thread inside the right namespace.</summary>
public static class LabSockets
{
    /// <summary>
    /// Connects with the application's own timeout and says how it ended. The socket is
    /// returned open when connected; the local port is read while the attempt is in flight.
    /// </summary>
    /// <param name="socket">A socket prepared by the caller (bound to a port), or null for a fresh one.</param>
    public static (Socket? Socket, ClientOutcome Outcome) Connect(int client, IPEndPoint server, TimeSpan timeout, CancellationToken cancellation, Socket? socket = null)
    {
        Socket s = socket ?? new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        var watch = Stopwatch.StartNew();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        cts.CancelAfter(timeout);
        int port = 0;
        string comm = File.ReadAllText("/proc/thread-self/comm").TrimEnd('\n');
        try
        {
            ValueTask connecting = s.ConnectAsync(server, cts.Token);
            port = LocalPort(s); // chosen by connect(), known during SYN_SENT, released if it fails
            connecting.AsTask().GetAwaiter().GetResult();
            port = ((IPEndPoint)s.LocalEndPoint!).Port;
            return (s, new ClientOutcome(client, OutcomeKind.Connected, watch.Elapsed, port) { Comm = comm });
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            s.Dispose(); // the application gives up: SYN_SENT -> CLOSE, no error from the kernel
            return (null, new ClientOutcome(client, OutcomeKind.TimedOut, watch.Elapsed, port, $"no answer within {timeout.TotalSeconds:0.#} s") { Comm = comm });
        }
        catch (SocketException e)
        {
            s.Dispose();
            OutcomeKind kind = e.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => OutcomeKind.Refused,
                SocketError.TimedOut => OutcomeKind.KernelTimedOut,
                SocketError.ConnectionReset => OutcomeKind.Reset,
                SocketError.HostUnreachable or SocketError.NetworkUnreachable => OutcomeKind.Unreachable,
                _ => OutcomeKind.Error,
            };
            return (null, new ClientOutcome(client, kind, watch.Elapsed, port, e.Message) { Comm = comm });
        }
    }

    /// <summary>getsockname's port; Socket.LocalEndPoint says nothing while a connect is pending.</summary>
    public static unsafe int LocalPort(Socket s)
    {
        byte* addr = stackalloc byte[128];
        int len = 128;
        return Interop.LibC.getsockname((int)s.SafeHandle.DangerousGetHandle(), addr, &len) == 0
            ? (addr[2] << 8) | addr[3] // sin_port / sin6_port, network order, same offset in both
            : 0;
    }

    public static Socket Listen(IPEndPoint at, int backlog)
    {
        var s = new Socket(at.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        s.Bind(at);
        s.Listen(backlog);
        return s;
    }

    /// <summary>Reads until <paramref name="count"/> bytes or end of stream; returns what came.</summary>
    public static int ReceiveUpTo(Socket s, int count, TimeSpan timeout)
    {
        s.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        var buf = new byte[count];
        int got = 0;
        while (got < count)
        {
            int n = s.Receive(buf, got, count - got, SocketFlags.None);
            if (n == 0)
            {
                break;
            }

            got += n;
        }

        return got;
    }
}
