using System.Runtime.InteropServices;

namespace TcpScope.Interop;

internal static unsafe partial class Libbpf
{
    /// <summary>BPF_PROG_TEST_RUN: runs a loaded program once on the given input; 0 or -errno (libbpf 1.x returns the error).</summary>
    [LibraryImport(Library)]
    public static partial int bpf_prog_test_run_opts(int prog_fd, BpfTestRunOpts* opts);
}
