using System.Runtime.InteropServices;

namespace TcpScope.Interop;

/// <summary>
/// libbpf's C API, names kept verbatim. Bound lazily (no DirectPInvoke), so verbs that need
/// no BPF start even where libbpf.so.1 is missing. Targets the libbpf 1.1 API (Debian 12):
/// 1.0 semantics, i.e. NULL or a negative errno on failure, errno set.
/// </summary>
internal static unsafe partial class Libbpf
{
    public const string Library = "libbpf.so.1";

    [LibraryImport(Library)]
    public static partial uint libbpf_major_version();

    [LibraryImport(Library)]
    public static partial uint libbpf_minor_version();

    [LibraryImport(Library)]
    public static partial byte* libbpf_version_string();

    [LibraryImport(Library)]
    public static partial int libbpf_strerror(int err, byte* buf, nuint size);

    [LibraryImport(Library)]
    public static partial int libbpf_num_possible_cpus();

    /// <summary>libbpf_print_fn_t: int (*)(enum libbpf_print_level, const char *fmt, va_list ap).</summary>
    [LibraryImport(Library)]
    public static partial nint libbpf_set_print(delegate* unmanaged<int, byte*, nint, int> fn);
}
