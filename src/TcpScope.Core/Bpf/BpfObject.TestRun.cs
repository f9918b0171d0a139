using TcpScope.Interop;

namespace TcpScope.Bpf;

public sealed unsafe partial class BpfObject
{
    /// <summary>
    /// Runs a loaded syscall program once (BPF_PROG_TEST_RUN) with <paramref name="context"/> as
    /// its context, which the program may change in place; returns the program's return value.
    /// </summary>
    public uint TestRun(string program, Span<byte> context)
    {
        if (!loaded)
        {
            throw new InvalidOperationException($"{Name}: test run before load");
        }

        int fd = Libbpf.bpf_program__fd(Program(program));
        fixed (byte* ctx = context)
        {
            var opts = new BpfTestRunOpts { Sz = (nuint)sizeof(BpfTestRunOpts), CtxIn = ctx, CtxSizeIn = (uint)context.Length };
            int err = Libbpf.bpf_prog_test_run_opts(fd, &opts);
            if (err != 0)
            {
                throw new LibbpfException($"test run of {Name}/{program}", -err);
            }

            return opts.Retval;
        }
    }
}
