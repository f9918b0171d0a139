using TcpScope.Interop;

namespace TcpScope.Host;

/// <summary>What the standard streams are connected to, asked of the kernel without initialising .NET's console.</summary>
public static unsafe class FileDescriptors
{
    public const int StandardOutput = 1;
    public const int StandardError = 2;

    public static bool IsTerminal(int fd) => LibC.isatty(fd) == 1;

    /// <summary>The width of the terminal on <paramref name="fd"/>, or null when it is none.</summary>
    public static int? TerminalColumns(int fd)
    {
        ushort* size = stackalloc ushort[4];
        return LibC.ioctl(fd, LibC.TIOCGWINSZ, size) == 0 && size[1] > 0 ? size[1] : null;
    }

    /// <summary>
    /// write(2) all of <paramref name="bytes"/> at the descriptor's own offset (so a file shared
    /// by stdout and stderr, `&gt;out 2&gt;&amp;1`, keeps both in order); returns 0, or the errno
    /// that stopped it (EPIPE when the reader is gone: SIGPIPE is ignored by .NET).
    /// </summary>
    public static int Write(int fd, ReadOnlySpan<byte> bytes)
    {
        fixed (byte* p = bytes)
        {
            int done = 0;
            while (done < bytes.Length)
            {
                nint n = LibC.write(fd, p + done, (nuint)(bytes.Length - done));
                if (n < 0)
                {
                    int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                    if (errno == LibC.EINTR)
                    {
                        continue;
                    }

                    return errno;
                }

                done += (int)n;
            }
        }

        return 0;
    }

    /// <summary>True when <paramref name="errno"/> from <see cref="Write"/> means nobody reads any more.</summary>
    public static bool IsBrokenPipe(int errno) => errno == LibC.EPIPE;

    /// <summary>
    /// True when nobody can read what is written to <paramref name="fd"/> any more: the reader
    /// of a pipe closed it (poll reports POLLERR) or a terminal hung up (POLLHUP). Asks for no
    /// events, so a file or a live pipe reports nothing; does not block.
    /// </summary>
    public static bool ReaderGone(int fd)
    {
        var p = new LibC.pollfd { fd = fd, events = 0 };
        return LibC.poll(&p, 1, 0) > 0 && (p.revents & (LibC.POLLERR | LibC.POLLHUP)) != 0;
    }
}
