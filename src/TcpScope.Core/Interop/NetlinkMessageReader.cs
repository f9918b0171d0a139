using System.Runtime.InteropServices;

namespace TcpScope.Interop;

/// <summary>
/// Walks the netlink messages of received bytes (one datagram, or several concatenated: each
/// message carries its own length). NLMSG_ERROR and an NLMSG_DONE that carries an error throw
/// <see cref="NetlinkException"/> with the errno; NLMSG_DONE sets <see cref="Done"/> (several dumps
/// one after another, as a capture holds them, read as one).
/// </summary>
internal unsafe ref struct NetlinkMessageReader
{
    private readonly string operation;
    private readonly uint sequence;
    private ReadOnlySpan<byte> rest;

    /// <param name="sequence">Only messages answering this request; 0 takes all. Replies left over from a dump abandoned midway carry an older number.</param>
    public NetlinkMessageReader(ReadOnlySpan<byte> received, string operation, uint sequence = 0)
    {
        rest = received;
        this.operation = operation;
        this.sequence = sequence;
    }

    /// <summary>The last message was NLMSG_DONE: the dump is complete.</summary>
    public bool Done { get; private set; }

    /// <summary>A message had NLM_F_DUMP_INTR: the table changed during the dump, which may have missed or repeated sockets.</summary>
    public bool Interrupted { get; private set; }

    /// <summary>The next message of <paramref name="type"/> other than NOOP, DONE or ERROR, and its payload.</summary>
    public bool TryNext(out ushort type, out ReadOnlySpan<byte> payload)
    {
        int headerSize = sizeof(LibC.nlmsghdr);
        while (rest.Length >= headerSize)
        {
            LibC.nlmsghdr h = MemoryMarshal.Read<LibC.nlmsghdr>(rest);
            if (h.nlmsg_len < headerSize || h.nlmsg_len > rest.Length)
            {
                throw new NetlinkException(operation, $"malformed reply: a message of {h.nlmsg_len} bytes with {rest.Length} left");
            }

            ReadOnlySpan<byte> body = rest[headerSize..(int)h.nlmsg_len];
            int next = Math.Min(LibC.NLMSG_ALIGN((int)h.nlmsg_len), rest.Length);
            rest = rest[next..];
            if (sequence != 0 && h.nlmsg_seq != sequence)
            {
                continue;
            }

            if ((h.nlmsg_flags & LibC.NLM_F_DUMP_INTR) != 0)
            {
                Interrupted = true;
            }

            switch (h.nlmsg_type)
            {
                case LibC.NLMSG_NOOP:
                    continue;
                case LibC.NLMSG_ERROR:
                    int error = body.Length >= sizeof(int) ? MemoryMarshal.Read<int>(body) : -LibC.EINVAL;
                    if (error == 0)
                    {
                        continue; // an acknowledgement
                    }

                    throw new NetlinkException(operation, -error);
                case LibC.NLMSG_DONE:
                    Done = true;
                    int status = body.Length >= sizeof(int) ? MemoryMarshal.Read<int>(body) : 0;
                    if (status < 0)
                    {
                        throw new NetlinkException(operation, -status);
                    }

                    break;
                default:
                    Done = false;
                    type = h.nlmsg_type;
                    payload = body;
                    return true;
            }
        }

        if (rest.Length > 0)
        {
            throw new NetlinkException(operation, $"malformed reply: {rest.Length} bytes after the last message");
        }

        type = 0;
        payload = default;
        return false;
    }
}
