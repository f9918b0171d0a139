namespace TcpScope.Interop;

/// <summary>A netlink call failed, or the kernel answered a request with an error; carries the errno.</summary>
public sealed class NetlinkException : Exception
{
    public NetlinkException(string operation, int errno)
        : base($"{operation}: {Errors.Describe(errno)}")
    {
        Operation = operation;
        Errno = Math.Abs(errno);
    }

    public NetlinkException(string operation, string message)
        : base($"{operation}: {message}")
    {
        Operation = operation;
    }

    public string Operation { get; }

    /// <summary>Positive errno value (EPERM = 1, ...); 0 when the failure was not one (a malformed reply).</summary>
    public int Errno { get; }
}
