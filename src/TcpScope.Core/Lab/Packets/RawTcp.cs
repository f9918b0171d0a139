using System.Net;
using System.Net.Sockets;

namespace TcpScope.Lab.Packets;

/// <summary>
/// Raw IPv4 sockets for crafted segments: sending whole packets (IPPROTO_RAW, header
/// included) and receiving every TCP packet that reaches this namespace. Create them on a
/// thread inside the namespace they belong to; they need CAP_NET_RAW.
/// </summary>
public sealed class RawTcp : IDisposable
{
    private readonly Socket sender = new(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Raw);
    private readonly Socket receiver = new(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Tcp);
    private readonly byte[] buffer = new byte[65536];

    public void Send(TcpSegment segment) => sender.SendTo(segment.Build(), new IPEndPoint(segment.Destination, 0));

    /// <summary>The next TCP segment that matches, or null when none came within <paramref name="timeout"/>.</summary>
    public TcpSegment? Receive(Func<TcpSegment, bool> match, TimeSpan timeout)
    {
        DateTime until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            int waitUs = (int)Math.Max(1000, (until - DateTime.UtcNow).TotalMicroseconds);
            if (!receiver.Poll(waitUs, SelectMode.SelectRead))
            {
                return null;
            }

            int n = receiver.Receive(buffer);
            if (TcpSegment.Parse(buffer.AsSpan(0, n)) is { } s && match(s))
            {
                return s;
            }
        }

        return null;
    }

    public void Dispose()
    {
        sender.Dispose();
        receiver.Dispose();
    }
}
