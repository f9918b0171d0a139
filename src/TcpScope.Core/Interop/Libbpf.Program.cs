using System.Runtime.InteropServices;

namespace TcpScope.Interop;

internal static unsafe partial class Libbpf
{
    [LibraryImport(Library)]
    public static partial byte* bpf_program__name(nint prog);

    [LibraryImport(Library)]
    public static partial byte* bpf_program__section_name(nint prog);

    [LibraryImport(Library)]
    public static partial int bpf_program__set_autoload(nint prog, [MarshalAs(UnmanagedType.U1)] bool autoload);

    [LibraryImport(Library)]
    public static partial int bpf_program__fd(nint prog);

    /// <summary>Before load: what a BTF-typed program (tp_btf, fentry...) attaches to, instead of its section's.</summary>
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int bpf_program__set_attach_target(nint prog, int attach_prog_fd, string attach_func_name);

    [LibraryImport(Library, SetLastError = true)]
    public static partial BpfLinkHandle bpf_program__attach(nint prog);

    [LibraryImport(Library)]
    public static partial int bpf_link__destroy(nint link);
}
