using System.Runtime.InteropServices;

namespace TcpScope.Interop;

/// <summary>
/// An AF_NETLINK socket. It belongs to the network namespace of the thread that created it for
/// its whole life: sock_diag dumps through it show that namespace, whichever thread asks.
/// </summary>
internal sealed unsafe class NetlinkSocketHandle : SafeHandle
{
    private NetlinkSocketHandle()
        : base(-1, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle < 0;

    public int Fd => (int)handle;

    public static NetlinkSocketHandle Open(int protocol)
    {
        int fd = LibC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, protocol);
        if (fd < 0)
        {
            throw new NetlinkException($"socket(AF_NETLINK, SOCK_RAW, {protocol})", Marshal.GetLastPInvokeError());
        }

        var h = new NetlinkSocketHandle();
        h.SetHandle(fd);
        return h;
    }

    /// <summary>Sends one complete request to the kernel (port id 0).</summary>
    public void Send(ReadOnlySpan<byte> request)
    {
        var kernel = new LibC.sockaddr_nl { nl_family = LibC.AF_NETLINK };
        fixed (byte* p = request)
        {
            while (true)
            {
                nint n = LibC.sendto(Fd, p, (nuint)request.Length, 0, &kernel, sizeof(LibC.sockaddr_nl));
                if (n == request.Length)
                {
                    return;
                }

                int errno = n < 0 ? Marshal.GetLastPInvokeError() : 0;
                if (errno == LibC.EINTR)
                {
                    continue;
                }

                throw n < 0
                    ? new NetlinkException("sendto(netlink)", errno)
                    : new NetlinkException("sendto(netlink)", $"sent {n} of {request.Length} bytes");
            }
        }
    }

    /// <summary>
    /// Receives one datagram (one or more whole netlink messages) into <paramref name="buffer"/>;
    /// returns its length. A datagram larger than the buffer is an error, not a silent cut.
    /// </summary>
    public int Receive(Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint n = LibC.recv(Fd, p, (nuint)buffer.Length, LibC.MSG_TRUNC);
                if (n < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == LibC.EINTR)
                    {
                        continue;
                    }

                    throw new NetlinkException("recv(netlink)", errno);
                }

                if (n > buffer.Length)
                {
                    throw new NetlinkException("recv(netlink)", $"a {n}-byte message does not fit the {buffer.Length}-byte buffer");
                }

                return (int)n;
            }
        }
    }

    protected override bool ReleaseHandle() => LibC.close((int)handle) == 0;
}
