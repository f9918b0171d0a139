using System.Runtime.InteropServices;
using TcpScope.Cli;
using TcpScope.Cli.Verbs;
using TcpScope.Diagnosis;
using TcpScope.Host;
using TcpScope.Lab;
using TcpScope.Output;
using TcpScope.Sessions;
using TcpScope.Sources;

namespace TcpScope.Tests;

/// <summary>What the user sees of options, errors, exit codes and lab wording, without root.</summary>
public class UserFacingTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("/etc/passwd", "not a namespace file")]
    [InlineData("/proc/self/ns/mnt", "it is a mnt namespace")]
    [InlineData("/no/such/file", "no such file")]
    public void Netns_that_is_not_a_network_namespace_is_a_usage_error_saying_why(string value, string why)
    {
        (int code, _, string err) = Run("states", "--netns", value);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains($"--netns: '{value}' is not a network namespace: {why}", err);
    }

    [Fact]
    public void Netns_given_as_a_proc_path_resolves_to_the_namespace_inode()
    {
        string target = new FileInfo("/proc/self/ns/net").LinkTarget!; // "net:[4026531840]"
        uint expected = uint.Parse(target[5..^1], System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(expected, NetworkNamespaces.Resolve("/proc/self/ns/net"));
        Assert.Null(NetworkNamespaces.Resolve("/proc/self/ns/uts"));
    }

    [Fact]
    public void A_pid_filter_naming_no_process_is_warned_about()
    {
        var err = new StringWriter();
        TracePreflight.WarnAboutFilter(new StatesFilter { Pid = int.MaxValue - 1 }, err);
        TracePreflight.WarnAboutFilter(new StatesFilter { Pid = (uint)Environment.ProcessId }, err);
        TracePreflight.WarnAboutFilter(new StatesFilter(), err);

        Assert.Equal($"tcpscope: warning: no process {int.MaxValue - 1} (yet?); tracing its sockets if it appears{Environment.NewLine}", err.ToString());
    }

    [Fact]
    public void A_netns_filter_naming_no_namespace_in_sight_is_warned_about()
    {
        uint own = NetworkNamespaces.Current();
        var err = new StringWriter();
        TracePreflight.WarnAboutFilter(new StatesFilter { NetNs = 999 }, err);
        TracePreflight.WarnAboutFilter(new StatesFilter { NetNs = own }, err);

        Assert.Equal($"tcpscope: warning: no process and no name in /run/netns is in network namespace 999 (yet?); tracing it if it appears{Environment.NewLine}", err.ToString());
    }

    [Fact]
    public void A_namespace_is_in_sight_through_a_process_of_a_proc_tree()
    {
        // a fake /proc: process 42 is in namespace 4026532999 (the links read as the kernel's do)
        string proc = Directory.CreateTempSubdirectory("tcpscope-proc").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(proc, "42", "ns"));
            Directory.CreateDirectory(Path.Combine(proc, "self", "ns"));
            Directory.CreateDirectory(Path.Combine(proc, "sys"));
            File.CreateSymbolicLink(Path.Combine(proc, "42", "ns", "net"), "net:[4026532999]");
            File.CreateSymbolicLink(Path.Combine(proc, "self", "ns", "net"), "net:[4026531840]");

            Assert.True(NetworkNamespaces.InSight(4026532999, proc, Path.Combine(proc, "none")));
            Assert.True(NetworkNamespaces.InSight(4026531840, proc, Path.Combine(proc, "none")));
            Assert.False(NetworkNamespaces.InSight(4026532000, proc, Path.Combine(proc, "none")));
        }
        finally
        {
            Directory.Delete(proc, recursive: true);
        }
    }

    [Theory]
    [InlineData(PosixSignal.SIGHUP, 129)]
    [InlineData(PosixSignal.SIGINT, 130)]
    [InlineData(PosixSignal.SIGQUIT, 131)]
    [InlineData(PosixSignal.SIGTERM, 143)]
    public void An_interrupted_lab_exits_128_plus_the_signal_number(PosixSignal signal, int code) =>
        Assert.Equal(code, ExitCodes.Interrupted(signal));

    [Fact]
    public void A_missing_tool_exits_69_naming_its_debian_package()
    {
        string saved = Environment.GetEnvironmentVariable("PATH")!;
        MissingToolException missing;
        try
        {
            Environment.SetEnvironmentVariable("PATH", "/nonexistent");
            missing = Assert.Throws<MissingToolException>(() => HostTools.Require("tc"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", saved);
        }

        CliException e = ErrorTranslation.ToCliException(missing);
        Assert.Equal(ExitCodes.Unavailable, e.ExitCode);
        Assert.Contains("`tc`", e.Message);
        Assert.Contains("apt-get install iproute2", e.Message);
        Assert.Contains("apt-get install iptables", new MissingToolException("iptables", HostTools.PackageOf("iptables")).Message);
    }

    [Fact]
    public void A_tool_the_kernel_refused_exits_77_naming_the_capabilities()
    {
        CliException e = ErrorTranslation.ToCliException(new ToolPermissionException("ip netns add x", "mount --make-shared /run/netns failed: Operation not permitted"));

        Assert.Equal(ExitCodes.NoPermission, e.ExitCode);
        Assert.Contains("CAP_SYS_ADMIN and CAP_NET_ADMIN", e.Message);
        Assert.Contains("sudo", e.Message);
    }

    [Fact]
    public void Capabilities_know_whether_programs_run_from_here_keep_them()
    {
        const string Status = "Uid:\t65534\t65534\t65534\t65534\nCapEff:\t0000000000201000\nCapAmb:\t0000000000001000\n";
        Capabilities c = Capabilities.Parse(Status);

        Assert.Equal(65534, c.EffectiveUid);
        Assert.True(c.PassesOn(Capability.CAP_NET_ADMIN)); // ambient
        Assert.False(c.PassesOn(Capability.CAP_SYS_ADMIN)); // effective only: a file capability
        Assert.True(Capabilities.Parse("Uid:\t0\t0\t0\t0\nCapEff:\t0000000000200000\n").PassesOn(Capability.CAP_SYS_ADMIN));
    }

    [Theory]
    [InlineData(OutcomeKind.Connected, 3.2, "client 1 (port 40000): connected after 3.20 ms")]
    [InlineData(OutcomeKind.KernelTimedOut, 7113.9, "client 1 (port 40000): timed out (the kernel gave up) after 7.11 s")]
    [InlineData(OutcomeKind.TimedOut, 250.04, "client 1 (port 40000): timed out (the application gave up) after 250.0 ms")]
    public void Lab_clients_are_described_in_plain_words_with_one_time_format(OutcomeKind kind, double ms, string expected) =>
        Assert.Equal(expected, new ClientOutcome(1, kind, TimeSpan.FromMilliseconds(ms), 40000).ToString());

    [Fact]
    public void A_status_line_is_erased_at_the_end_and_absent_off_a_terminal()
    {
        var tty = new StringWriter();
        using (var line = new StatusLine(tty, enabled: true))
        {
            line.Show("creating the network namespaces");
        }

        Assert.Equal("\r\u001b[Ktcpscope: creating the network namespaces ...\r\u001b[K", tty.ToString());

        var pipe = new StringWriter();
        using (var line = new StatusLine(pipe, enabled: false))
        {
            line.Show("creating the network namespaces");
        }

        Assert.Equal("", pipe.ToString());
    }

    [Fact]
    public void A_trace_stops_when_its_output_is_closed()
    {
        int idles = 0;
        var source = new IdleSource();
        Session.Run(new SessionPlan { Source = source, Report = new NullReportWriter(), EventViews = [new Calls()], OutputClosed = () => ++idles >= 3 }, CancellationToken.None);

        Assert.Equal(3, source.Idles);
    }

    [Fact]
    public void The_duration_of_a_trace_counts_from_the_start_of_the_session()
    {
        var source = new IdleSource();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Session.Run(new SessionPlan { Source = source, Report = new NullReportWriter(), EventViews = [new Calls()], Duration = TimeSpan.FromMilliseconds(300) }, CancellationToken.None);

        Assert.InRange(watch.Elapsed.TotalMilliseconds, 290, 5000);
    }

    [Fact]
    public void Capability_messages_use_the_plural_for_several()
    {
        Assert.Equal(
            "missing capabilities CAP_BPF and CAP_PERFMON",
            Privileges.MissingCapabilities([Capability.CAP_BPF, Capability.CAP_PERFMON]));
        Assert.Equal("missing capability CAP_BPF", Privileges.MissingCapabilities([Capability.CAP_BPF]));
    }

    /// <summary>Ticks like the ring drain (every 10 ms) until cancelled, bounded to 10 s.</summary>
    private sealed class IdleSource : IEventSource
    {
        public int Idles { get; private set; }

        public string Description => "idle";

        public long WallOffsetNs => 0;

        public bool Live => true;

        public TcpScope.Decode.KernelEnums Enums => TcpScope.Decode.KernelEnums.BuiltIn;

        public SourceStats Run(TcpScope.Decode.IEventSink sink, CancellationToken cancellation)
        {
            for (int i = 0; i < 1000 && !cancellation.IsCancellationRequested; i++)
            {
                Idles++;
                sink.OnIdle(MonotonicClock.NowNs());
                cancellation.WaitHandle.WaitOne(10);
            }

            return new SourceStats(0, 0, 0);
        }

        public void Dispose()
        {
        }
    }

    private sealed class Calls : TcpScope.Decode.IEventSink
    {
        public void OnStateChange(in TcpScope.Decode.StateChange e)
        {
        }

        public void OnSocketEvent(in TcpScope.Decode.SocketEvent e)
        {
        }

        public void OnTotals(in TcpScope.Decode.SocketTotals e)
        {
        }

        public void OnIcmpError(in TcpScope.Decode.IcmpError e)
        {
        }

        public void OnStack(TcpScope.Decode.StackSample e)
        {
        }

        public void OnDrop(in TcpScope.Decode.PacketDrop e)
        {
        }

        public void OnIdle(long monotonicNowNs)
        {
        }
    }
}
