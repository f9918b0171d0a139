using Process = System.Diagnostics.Process;
using ProcessStartInfo = System.Diagnostics.ProcessStartInfo;
using System.Net;
using TcpScope.Cli.Verbs;
using TcpScope.Decode;
using TcpScope.Decode.Abi;
using TcpScope.Host;
using TcpScope.Interop;
using TcpScope.Lab;
using TcpScope.Probes;
using TcpScope.Sources;

namespace TcpScope.IntegrationTests;

/// <summary>Families loaded as one probe set: optional programs, the verdicts doctor shares, one ring and one socket map.</summary>
public class ProbeSetTests
{
    /// <summary>No kernel has this tracepoint: a program attached to it cannot load here.</summary>
    private const string NoSuchTracepoint = "tcpscope_no_such_tracepoint";

    private static readonly byte[] Ping = "ping"u8.ToArray();

    private static readonly string[] ConnWithoutRetransmit = ["conn_state", "conn_reset_in", "conn_reset_out", "conn_error", "conn_destroy", "conn_sys_exit"];

    [PrivilegedFact]
    public void A_program_that_cannot_attach_is_left_out_with_the_verdict_doctor_gives()
    {
        ProbeFamily conn = ProbeFamily.Conn.WithAttachTarget("conn_retransmit", NoSuchTracepoint);
        KernelEnums enums = KernelEnums.LoadOrBuiltIn();

        using ProbeSetSource source = ProbeSetSource.Start(conn, [], new StatesFilter { Pid = (uint)Environment.ProcessId }, new TraceOptions(), () => enums);
        DoctorReport doctor = DoctorVerb.Collect([ProbeFamily.States, conn]);

        Assert.Equal(ConnWithoutRetransmit.Order(), source.Attached.Order());
        ProbeResult verdict = source.Verdicts.Single(v => v.Program == "conn_retransmit");
        Assert.Equal(ProbeStatus.NotSupported, verdict.Status);
        // libbpf looks tp_btf targets up in the kernel's BTF at load: "no such type" is ESRCH
        Assert.StartsWith("tp_btf: ", verdict.Detail, StringComparison.Ordinal);
        Assert.Contains("ESRCH", verdict.Detail, StringComparison.Ordinal);
        string degraded = Assert.Single(source.Degraded);
        Assert.Contains("conn/conn_retransmit", degraded, StringComparison.Ordinal);
        Assert.Contains(verdict.Detail, degraded, StringComparison.Ordinal);
        Assert.Contains("retransmits", degraded, StringComparison.Ordinal);

        // doctor tests the same family the same way, and says the same
        Assert.Equal(verdict, doctor.Probes.Single(p => p.Program == "conn_retransmit"));
        Assert.All(doctor.Probes.Where(p => p.Program != "conn_retransmit" && p.Object == conn.ObjectName), p => Assert.True(p.Works, $"{p.Program}: {p.Detail}"));
    }

    [PrivilegedFact]
    public void The_core_family_fails_as_the_kernel_said_when_nothing_can_handle_the_state_hook()
    {
        ProbeFamily conn = ProbeFamily.Conn.WithAttachTarget("conn_state", NoSuchTracepoint);
        KernelEnums enums = KernelEnums.LoadOrBuiltIn();

        LibbpfException e = Assert.ThrowsAny<LibbpfException>(() =>
            ProbeSetSource.Start(conn, [], new StatesFilter { Pid = (uint)Environment.ProcessId }, new TraceOptions(), () => enums).Dispose());

        Assert.Equal(LibC.ESRCH, e.Errno);

        // doctor says the same of the verbs whose core this is, and that states still runs
        DoctorReport doctor = DoctorVerb.Collect([ProbeFamily.States, conn]);
        Assert.Equal([("states", true), ("life", false), ("connect", false), ("record", false)], doctor.Verbs.Select(v => (v.Key, v.Value)));
    }

    [PrivilegedFact]
    public void States_falls_back_to_the_classic_tracepoint_and_says_why()
    {
        Tracefs.EnsureMounted();
        using NetworkNamespace ns = NetworkNamespace.Create("ts-fallback");
        ProbeFamily states = ProbeFamily.States.WithAttachTarget("states_btf", NoSuchTracepoint);
        KernelEnums enums = KernelEnums.LoadOrBuiltIn();

        using ProbeSetSource source = ProbeSetSource.Start(states, [], new StatesFilter { NetNs = ns.Inode }, new TraceOptions(), () => enums);
        (List<Delivered> events, SourceStats stats) = Trace(source, () => ns.Run(() => LoopbackExchange.Run(IPAddress.Loopback, Ping, Ping)));

        Assert.Equal(["states_tp"], source.Attached);
        Assert.Equal("tracepoint/sock/inet_sock_set_state", source.Description);
        string degraded = Assert.Single(source.Degraded);
        Assert.StartsWith("states/states_btf (tp_btf/inet_sock_set_state) ", degraded, StringComparison.Ordinal);
        Assert.EndsWith("inet_sock_set_state is handled by states/states_tp (tracepoint/sock/inet_sock_set_state)", degraded, StringComparison.Ordinal);
        Assert.Equal(source.Degraded, stats.Degraded);
        // one IPv4 conversation: listener 2, client 5, accepted socket 5
        Assert.Equal(12, events.Count(e => e.State is not null));
    }

    [PrivilegedFact]
    public void Two_families_deliver_into_one_ring_in_time_order_with_one_owner_per_socket()
    {
        using NetworkNamespace ns = NetworkNamespace.Create("ts-probeset");
        // conn without its state program: states' handles the hook and keeps the sockets map that conn's programs read and write
        ProbeFamily conn = ProbeFamily.Conn.WithAttachTarget("conn_state", NoSuchTracepoint);
        KernelEnums enums = KernelEnums.LoadOrBuiltIn();

        using ProbeSetSource source = ProbeSetSource.Start(ProbeFamily.States, [conn], new StatesFilter { NetNs = ns.Inode }, new TraceOptions(), () => enums);
        (List<Delivered> events, _) = Trace(source, () => ns.Run(() =>
        {
            // one CPU for the traffic and its loopback softirq work, so one clock order is expected
            PinThisThreadToCpu0();
            return LoopbackExchange.Run(IPAddress.Loopback, Ping, Ping);
        }));

        Assert.Contains("states_btf", source.Attached);
        Assert.Contains("conn_sys_exit", source.Attached);
        Assert.DoesNotContain("conn_state", source.Attached);
        Assert.Contains(source.Degraded, d => d.StartsWith("conn/conn_state ", StringComparison.Ordinal) && d.Contains("handled by states/states_btf", StringComparison.Ordinal));

        // both families' records, in one order
        Assert.Equal(12, events.Count(e => e.State is not null));
        Delivered accept = Assert.Single(events, e => e.Socket?.Kind == SocketEventKind.Accept);
        Delivered connected = Assert.Single(events, e => e.Socket?.Kind == SocketEventKind.ConnectReturn);
        for (int i = 1; i < events.Count; i++)
        {
            Assert.True(events[i].Ts >= events[i - 1].Ts, $"record {i} ({events[i]}) is older than the one before it ({events[i - 1]})");
        }

        // conn's programs send only for sockets in the sockets map: the states program put them there
        ulong client = events.First(e => e.State is { OldState: TcpState.CLOSE, NewState: TcpState.SYN_SENT }).State!.Value.Socket;
        Assert.Equal(client, connected.Socket!.Value.Socket);

        // and the owner accept() wrote into the map is the one the states program reports next
        ulong child = accept.Socket!.Value.Socket;
        List<StateChange> childStates = [.. events.Where(e => e.State?.Socket == child).Select(e => e.State!.Value)];
        StateChange beforeAccept = childStates.Single(s => s.NewState == TcpState.ESTABLISHED);
        StateChange afterAccept = childStates.Single(s => s.NewState == TcpState.CLOSE_WAIT);
        Assert.True(beforeAccept.TimestampNs < accept.Ts && accept.Ts < afterAccept.TimestampNs);
        Assert.True(beforeAccept.Flags.HasFlag(StateEventFlags.OwnerFromListener), $"before accept(): {beforeAccept.Flags}");
        Assert.Equal(StateEventFlags.OwnerKnown, afterAccept.Flags & (StateEventFlags.OwnerKnown | StateEventFlags.OwnerFromListener));
    }

    [PrivilegedFact]
    public void An_optional_family_refused_by_the_kernel_degrades_instead_of_failing()
    {
        // fentry/fexit are refused with EPERM on these machines and kprobes are not built in: a
        // permission-like refusal of an optional family must not end the verb
        KernelEnums enums = KernelEnums.LoadOrBuiltIn();

        using ProbeSetSource source = ProbeSetSource.Start(ProbeFamily.States, [ProbeFamily.Upgrades], new StatesFilter { Pid = (uint)Environment.ProcessId }, new TraceOptions(), () => enums);
        DoctorReport doctor = DoctorVerb.Collect([ProbeFamily.States, ProbeFamily.Upgrades]);

        Assert.Contains("states_btf", source.Attached);
        Assert.Contains("probe_tp_btf", source.Attached);
        List<ProbeResult> refused = [.. doctor.Probes.Where(p => p.Object == ProbeFamily.Upgrades.ObjectName && !p.Works)];
        Assert.Equal(refused.Select(p => p.Program).Order(), source.Verdicts.Where(v => !v.Works).Select(v => v.Program).Order());
        Assert.All(refused, p => Assert.Contains(source.Degraded, d => d.StartsWith($"probes/{p.Program} ", StringComparison.Ordinal) && d.Contains(p.Detail, StringComparison.Ordinal)));
        Assert.Equal(refused.Count, source.Degraded.Count);
    }

    /// <summary>Runs the source while <paramref name="traffic"/> runs, and returns what it delivered, in delivery order.</summary>
    private static (List<Delivered> Events, SourceStats Stats) Trace(ProbeSetSource source, Action traffic)
    {
        var sink = new Collector();
        using var cts = new CancellationTokenSource();
        Task<SourceStats> running = Task.Factory.StartNew(() => source.Run(sink, cts.Token), TaskCreationOptions.LongRunning);
        traffic();
        Thread.Sleep(100); // a few drain intervals
        cts.Cancel();
        Assert.True(running.Wait(TimeSpan.FromSeconds(10)), "the source did not stop within 10 s of cancellation");
        return (sink.Events, running.Result);
    }

    private static void PinThisThreadToCpu0()
    {
        // /proc/thread-self -> "PID/task/TID"
        string tid = Path.GetFileName(new FileInfo("/proc/thread-self").LinkTarget!);
        using Process taskset = Process.Start(new ProcessStartInfo("taskset", ["-p", "-c", "0", tid]) { RedirectStandardOutput = true })!;
        Assert.True(taskset.WaitForExit(5000), "taskset did not finish");
        Assert.Equal(0, taskset.ExitCode);
    }

    private sealed record Delivered(long Ts, StateChange? State, SocketEvent? Socket);

    private sealed class Collector : IEventSink
    {
        public List<Delivered> Events { get; } = [];

        public void OnStateChange(in StateChange e) => Events.Add(new(e.TimestampNs, e, null));

        public void OnSocketEvent(in SocketEvent e) => Events.Add(new(e.TimestampNs, null, e));

        public void OnTotals(in SocketTotals e)
        {
        }

        public void OnIcmpError(in IcmpError e)
        {
        }

        public void OnStack(StackSample e)
        {
        }

        public void OnDrop(in PacketDrop e)
        {
        }

        public void OnIdle(long monotonicNowNs)
        {
        }
    }
}
