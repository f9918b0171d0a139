using System.Runtime.InteropServices;

#pragma warning disable CS8981 // C struct names are kept verbatim in the interop layer

namespace TcpScope.Interop;

internal static unsafe partial class Libbpf
{
    /// <summary>The head of struct bpf_object_open_opts; sz tells libbpf how much we pass.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct bpf_object_open_opts
    {
        public nuint sz;
        public byte* object_name;
    }

    [LibraryImport(Library, SetLastError = true)]
    public static partial BpfObjectHandle bpf_object__open_mem(byte* obj_buf, nuint obj_buf_sz, bpf_object_open_opts* opts);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int bpf_object__load(BpfObjectHandle obj);

    [LibraryImport(Library)]
    public static partial void bpf_object__close(nint obj);

    [LibraryImport(Library)]
    public static partial nint bpf_object__btf(BpfObjectHandle obj);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint bpf_object__find_program_by_name(BpfObjectHandle obj, string name);

    [LibraryImport(Library)]
    public static partial nint bpf_object__next_program(BpfObjectHandle obj, nint prog);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint bpf_object__find_map_by_name(BpfObjectHandle obj, string name);
}
