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
    /// Like a C client: a non-blocking connect() and poll() on this thread, so when the
    /// attempt ends does not wait for a thread-pool thread (on a busy machine that wait once
    /// added over half a second to an attempt the kernel had already ended).
    /// </summary>
    /// <param name="socket">A socket prepared by the caller (bound to a port), or null for a fresh one.</param>
    public static (Socket? Socket, ClientOutcome Outcome) Connect(int client, IPEndPoint server, TimeSpan timeout, CancellationToken cancellation, Socket? socket = null)
    {
        Socket s = socket ?? new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        var watch = Stopwatch.StartNew();
        int port = 0;
        string comm = File.ReadAllText("/proc/thread-self/comm").TrimEnd('\n');
        try
        {
            s.Blocking = false;
            try
            {
                s.Connect(server);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
            {
            }

            port = LocalPort(s); // chosen by connect(), known during SYN_SENT, released if it fails
            if (!WaitWritable(s, timeout, watch, cancellation))
            {
                s.Dispose(); // the application gives up: SYN_SENT -> CLOSE, no error from the kernel
                cancellation.ThrowIfCancellationRequested();
                return (null, new ClientOutcome(client, OutcomeKind.TimedOut, watch.Elapsed, port, $"no answer within {timeout.TotalSeconds:0.#} s") { Comm = comm });
            }

            // SO_ERROR: the hard error, else the soft one (an ICMP error that came while connect() held the socket)
            var error = (SocketError)(int)s.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
            if (error != SocketError.Success)
            {
                s.Dispose();
                return (null, Failed(client, error, watch.Elapsed, port, comm));
            }

            s.Blocking = true;
            port = ((IPEndPoint)s.LocalEndPoint!).Port;
            return (s, new ClientOutcome(client, OutcomeKind.Connected, watch.Elapsed, port) { Comm = comm });
        }
        catch (SocketException e)
        {
            s.Dispose();
            return (null, Failed(client, e.SocketErrorCode, watch.Elapsed, port, comm));
        }
    }

    private static ClientOutcome Failed(int client, SocketError error, TimeSpan elapsed, int port, string comm)
    {
        OutcomeKind kind = error switch
        {
            SocketError.ConnectionRefused => OutcomeKind.Refused,
            SocketError.TimedOut => OutcomeKind.KernelTimedOut,
            SocketError.ConnectionReset => OutcomeKind.Reset,
            SocketError.HostUnreachable or SocketError.NetworkUnreachable => OutcomeKind.Unreachable,
            _ => OutcomeKind.Error,
        };
        return new ClientOutcome(client, kind, elapsed, port, new SocketException((int)error).Message) { Comm = comm };
    }

    /// <summary>poll() for the end of a connect: true when it ended (either way), false at the timeout or on cancellation.</summary>
    private static unsafe bool WaitWritable(Socket s, TimeSpan timeout, Stopwatch watch, CancellationToken cancellation)
    {
        var fd = new Interop.LibC.pollfd { fd = (int)s.SafeHandle.DangerousGetHandle(), events = Interop.LibC.POLLOUT };
        while (!cancellation.IsCancellationRequested)
        {
            TimeSpan left = timeout - watch.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            // slices of at most 50 ms, so a cancelled run stops promptly
            int ms = (int)Math.Ceiling(Math.Min(left.TotalMilliseconds, 50));
            fd.revents = 0;
            if (Interop.LibC.poll(&fd, 1, ms) > 0
                && (fd.revents & (Interop.LibC.POLLOUT | Interop.LibC.POLLERR | Interop.LibC.POLLHUP)) != 0)
            {
                return true;
            }
        }

        return false;
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
