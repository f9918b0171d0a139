using System.Runtime.InteropServices;

namespace TcpScope.Interop;

/// <summary>Owns a region mapped with mmap(2); releasing it unmaps the region.</summary>
internal sealed class MappedMemoryHandle : SafeHandle
{
    private MappedMemoryHandle(nint address, nuint length)
        : base(LibC.MAP_FAILED, ownsHandle: true)
    {
        SetHandle(address);
        Length = length;
    }

    public nuint Length { get; }

    public override bool IsInvalid => handle == LibC.MAP_FAILED || handle == nint.Zero;

    /// <summary>Maps <paramref name="length"/> bytes of <paramref name="fd"/> at <paramref name="offset"/>, shared.</summary>
    public static MappedMemoryHandle Map(int fd, long offset, nuint length, int prot, string what)
    {
        nint address = LibC.mmap(0, length, prot, LibC.MAP_SHARED, fd, offset);
        if (address == LibC.MAP_FAILED)
        {
            throw new LibbpfException($"mapping {what} ({length} bytes at offset {offset} of fd {fd})", Marshal.GetLastPInvokeError());
        }

        return new MappedMemoryHandle(address, length);
    }

    protected override bool ReleaseHandle() => LibC.munmap(handle, Length) == 0;
}
