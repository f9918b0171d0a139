using System.Runtime.InteropServices;

namespace TcpScope.Interop;

internal static unsafe class Errors
{
    /// <summary>"EPERM (Operation not permitted)" style text for an errno.</summary>
    public static string Describe(int errno)
    {
        errno = Math.Abs(errno);
        string text = Marshal.PtrToStringUTF8((nint)LibC.strerror(errno)) ?? "unknown error";
        return $"{Name(errno)} ({text})";
    }

    public static string Name(int errno) => Math.Abs(errno) switch
    {
        1 => "EPERM",
        2 => "ENOENT",
        3 => "ESRCH",
        4 => "EINTR",
        7 => "E2BIG",
        9 => "EBADF",
        12 => "ENOMEM",
        13 => "EACCES",
        14 => "EFAULT",
        16 => "EBUSY",
        17 => "EEXIST",
        22 => "EINVAL",
        24 => "EMFILE",
        32 => "EPIPE",
        71 => "EPROTO",
        95 => "EOPNOTSUPP",
        98 => "EADDRINUSE",
        99 => "EADDRNOTAVAIL",
        101 => "ENETUNREACH",
        103 => "ECONNABORTED",
        104 => "ECONNRESET",
        110 => "ETIMEDOUT",
        111 => "ECONNREFUSED",
        113 => "EHOSTUNREACH",
        114 => "EALREADY",
        115 => "EINPROGRESS",
        524 => "ENOTSUPP",
        int n => $"errno {n}",
    };
}
