namespace TcpScope.Interop;

/// <summary>Owns a file descriptor this process opened (an epoll instance, ...); releasing it closes it.</summary>
internal sealed class FileDescriptorHandle : System.Runtime.InteropServices.SafeHandle
{
    public FileDescriptorHandle(int fd)
        : base(-1, ownsHandle: true)
    {
        SetHandle(fd);
    }

    public override bool IsInvalid => handle < 0;

    public int Fd => (int)handle;

    protected override bool ReleaseHandle() => LibC.close((int)handle) == 0;
}
