namespace TcpScope.Interop;

/// <summary>A libbpf call failed; carries the errno it reported.</summary>
public class LibbpfException : Exception
{
    public LibbpfException(string operation, int errno)
        : base($"{operation}: {Errors.Describe(errno)}")
    {
        Operation = operation;
        Errno = errno;
    }

    public LibbpfException(string operation, int errno, string message)
        : base(message)
    {
        Operation = operation;
        Errno = errno;
    }

    public string Operation { get; }

    /// <summary>Positive errno value (EPERM = 1, ...).</summary>
    public int Errno { get; }

    public virtual bool IsPermissionDenied => Errno is LibC.EPERM or LibC.EACCES;
}
