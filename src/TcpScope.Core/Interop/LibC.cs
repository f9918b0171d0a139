using System.Runtime.InteropServices;

#pragma warning disable CS8981 // C struct names are kept verbatim in the interop layer

namespace TcpScope.Interop;

/// <summary>The few libc calls TcpScope needs, names kept verbatim.</summary>
internal static unsafe partial class LibC
{
    private const string Library = "libc";

    public const int CLONE_NEWNET = 0x40000000;
    public const int CLOCK_REALTIME = 0;
    public const int CLOCK_MONOTONIC = 1;
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int EACCES = 13;
    public const int EINVAL = 22;
    public const int EOPNOTSUPP = 95;
    public const int ENOTSUPP = 524; // kernel-internal, leaks out of bpf(2)
    public const int E2BIG = 7;

    [StructLayout(LayoutKind.Sequential)]
    public struct timespec
    {
        public long tv_sec;
        public long tv_nsec;
    }

    [LibraryImport(Library, SetLastError = true)]
    public static partial int setns(int fd, int nstype);

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mount(string source, string target, string filesystemtype, nuint mountflags, nint data);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int getsockname(int sockfd, byte* addr, int* addrlen);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int clock_gettime(int clockid, timespec* tp);

    public const short POLLOUT = 0x004;
    public const short POLLERR = 0x008;
    public const short POLLHUP = 0x010;

    [StructLayout(LayoutKind.Sequential)]
    public struct pollfd
    {
        public int fd;
        public short events;
        public short revents;
    }

    [LibraryImport(Library, SetLastError = true)]
    public static partial int poll(pollfd* fds, nuint nfds, int timeout);

    public const int PROT_READ = 0x1;
    public const int PROT_WRITE = 0x2;
    public const int MAP_SHARED = 0x01;
    public static readonly nint MAP_FAILED = -1;

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint mmap(nint addr, nuint length, int prot, int flags, int fd, long offset);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int munmap(nint addr, nuint length);

    /// <summary>
    /// va_list is passed as the pointer it decays to on x86-64 and arm64 Linux, which is
    /// what a libbpf print callback receives; one call only, it consumes the va_list.
    /// </summary>
    [LibraryImport(Library)]
    public static partial int vsnprintf(byte* str, nuint size, byte* format, nint ap);

    [LibraryImport(Library)]
    public static partial byte* strerror(int errnum);

    public const int SIGHUP = 1;
    public const int SIGINT = 2;
    public const int SIGQUIT = 3;
    public const int SIGTERM = 15;
    public static readonly nint SIG_DFL = 0;

    /// <summary>sighandler_t signal(int signum, sighandler_t handler); returns the previous handler.</summary>
    [LibraryImport(Library)]
    public static partial nint signal(int signum, nint handler);

    /// <summary>
    /// stat(2) into a caller buffer of at least 144 bytes; st_ino is the second 8-byte field
    /// on x86-64 and on the generic layout (arm64), see <see cref="StatInodeOffset"/>.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int stat(string path, byte* buf);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int isatty(int fd);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint write(int fd, byte* buf, nuint count);

    public const int EPIPE = 32;

    /// <summary>ioctl(2) without an argument (NS_GET_NSTYPE and the like).</summary>
    [LibraryImport(Library, SetLastError = true)]
    public static partial int ioctl(int fd, nuint request);

    /// <summary>ioctl(2) with a pointer argument (TIOCGWINSZ).</summary>
    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int ioctl(int fd, nuint request, void* arg);

    /// <summary>struct winsize into the argument: rows, columns, x and y pixels (4 unsigned shorts).</summary>
    public const nuint TIOCGWINSZ = 0x5413;

    /// <summary>_IO(0xb7, 0x3): which kind of namespace a /proc/PID/ns/* (or bind-mounted) file is.</summary>
    public const nuint NS_GET_NSTYPE = 0xb703;

    public const int StatBufferSize = 256;
    public const int StatInodeOffset = 8;
}
