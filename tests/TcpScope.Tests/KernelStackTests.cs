using TcpScope.Host.Symbols;

namespace TcpScope.Tests;

/// <summary>
/// Kernel stacks of --stacks against /proc/kallsyms lines and a stack captured on one machine
/// (Fixtures/README.md): live as root, replayed after the BPF programs were unloaded, and
/// without kallsyms addresses (CAP_BPF+CAP_PERFMON only).
/// </summary>
public class KernelStackTests
{
    // The kernel stack of a refused connect to 127.0.0.1:1 taken by conn_state (tp_btf/inet_sock_set_state),
    // as recorded by `tcpscope connect --stacks --record`; the names are what the live run printed.
    private static readonly ulong[] RefusedConnect =
    [
        0xffffffffc0002558, // bpf_prog_49e12e72591cfe6d_conn_state+0x147c (the JIT image of the program)
        0xffffffff814cae48, // bpf_trace_run3+0x108
        0xffffffff820ba252, // inet_sk_state_store+0x62
        0xffffffff8206c80e, // tcp_done+0x2e
        0xffffffff8207e32c, // tcp_done_with_error+0x1c
        0xffffffff82081ee3, // tcp_rcv_state_process+0xba3
        0xffffffff820937c5, // tcp_v4_do_rcv+0xd5
        0xffffffff81e87711, // __release_sock+0xf1
        0xffffffff81e877cb, // release_sock+0x2b
        0xffffffff820b8914, // __inet_stream_connect+0x224
        0xffffffff820b8b18, // inet_stream_connect+0x38
        0xffffffff81e8091f, // __sys_connect+0x8f
        0xffffffff81e80994, // __x64_sys_connect+0x14
        0xffffffff8224d141, // do_syscall_64+0x71
        0xffffffff81000130, // entry_SYSCALL_64_after_hwframe+0x76
    ];

    private static readonly string[] FromInetSkStateStore =
    [
        "inet_sk_state_store+0x62", "tcp_done+0x2e", "tcp_done_with_error+0x1c", "tcp_rcv_state_process+0xba3",
        "tcp_v4_do_rcv+0xd5", "__release_sock+0xf1", "release_sock+0x2b", "__inet_stream_connect+0x224",
        "inet_stream_connect+0x38", "__sys_connect+0x8f", "__x64_sys_connect+0x14", "do_syscall_64+0x71",
        "entry_SYSCALL_64_after_hwframe+0x76",
    ];

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private static SymbolTable Live() => KernelSymbols.Parse(File.ReadLines(Fixture("kallsyms-connect-stack.txt")));

    // the same kernel once tcpscope has exited: its programs' lines are gone from kallsyms
    private static SymbolTable AfterUnload() =>
        KernelSymbols.Parse(File.ReadLines(Fixture("kallsyms-connect-stack.txt")).Where(l => !l.EndsWith("[bpf]", StringComparison.Ordinal)));

    [Fact]
    public void Live_stack_starts_below_the_bpf_program_and_its_tracepoint_glue() =>
        Assert.Equal(FromInetSkStateStore, new StackSymbolizer(Live()).Kernel(RefusedConnect));

    [Fact]
    public void Replayed_stack_starts_at_the_same_frame_once_the_program_is_unloaded() =>
        Assert.Equal(FromInetSkStateStore, new StackSymbolizer(AfterUnload()).Kernel(RefusedConnect));

    [Fact]
    public void A_tracepoint_iterator_frame_is_glue_too()
    {
        // as the tryout's kernel took it: the tracepoint's iterator between bpf_trace_run3 and the traced function
        ulong[] frames = [RefusedConnect[0], RefusedConnect[1], 0xffffffff81f0ece7 /* __traceiter_inet_sock_set_state+0x37 */, .. RefusedConnect[2..]];

        Assert.Equal(FromInetSkStateStore, new StackSymbolizer(Live()).Kernel(frames));
        Assert.Equal(FromInetSkStateStore, new StackSymbolizer(AfterUnload()).Kernel(frames));
    }

    [Fact]
    public void An_address_far_past_the_last_kernel_symbol_is_not_that_symbol()
    {
        SymbolTable t = AfterUnload();

        Assert.Null(t.Resolve(0xffffffffc0002558)); // was "_einittext+0x3c80feb8"
        Assert.Equal("_einittext+0x10", t.Resolve(0xffffffff837f26b0));
        Assert.Equal("inet_sk_state_store+0x62", t.Resolve(0xffffffff820ba252));
        Assert.Equal("bpf_prog_49e12e72591cfe6d_conn_state+0x147c", Live().Resolve(0xffffffffc0002558));
    }

    [Fact]
    public void Without_kallsyms_addresses_every_frame_is_printed_as_an_address()
    {
        SymbolTable zeros = KernelSymbols.Parse(File.ReadLines(Fixture("kallsyms-connect-stack-nonroot.txt")));

        IReadOnlyList<string> stack = new StackSymbolizer(zeros).Kernel(RefusedConnect);

        Assert.Equal(15, stack.Count);
        Assert.Equal("0xffffffffc0002558", stack[0]);
        Assert.Equal("0xffffffff814cae48", stack[1]);
        Assert.Equal("0xffffffff81000130", stack[14]);
    }

    [Fact]
    public void Unnamed_frames_below_the_first_real_function_are_kept()
    {
        // a frame in code kallsyms does not list, under the traced function, is not glue
        ulong[] frames = [RefusedConnect[0], RefusedConnect[1], RefusedConnect[2], 0xffffffffc0002558, RefusedConnect[3]];

        Assert.Equal(["inet_sk_state_store+0x62", "0xffffffffc0002558", "tcp_done+0x2e"], new StackSymbolizer(AfterUnload()).Kernel(frames));
    }
}
