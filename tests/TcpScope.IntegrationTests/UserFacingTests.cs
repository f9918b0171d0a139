using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace TcpScope.IntegrationTests;

/// <summary>How the binary behaves towards its user: closed pipes, signals, set-up time, privileges, the terminal.</summary>
public class UserFacingTests
{
    [PrivilegedTheory]
    [InlineData("states")]
    [InlineData("states", "--json")]
    [InlineData("life")]
    [InlineData("connect", "--json")]
    public void A_closed_output_pipe_ends_the_trace_promptly_without_an_error(params string[] args)
    {
        using Process p = Process.Start(Tool.StartInfo(args))!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        try
        {
            // loopback connections of this test make the lines `| head -2` would read; bounded in count and time
            var lines = new List<string>();
            Task<string?> next = p.StandardOutput.ReadLineAsync();
            var watch = Stopwatch.StartNew();
            while (lines.Count < 2 && watch.Elapsed < TimeSpan.FromSeconds(20))
            {
                if (!next.Wait(100))
                {
                    Touch();
                    continue;
                }

                Assert.NotNull(next.Result);
                lines.Add(next.Result!);
                next = p.StandardOutput.ReadLineAsync();
            }

            Assert.Equal(2, lines.Count);
            p.StandardOutput.BaseStream.Dispose(); // the reader goes away, as `head` exits
            Touch(); // one more event, and then none: both ways must end it
            Assert.True(p.WaitForExit(5_000), $"tcpscope {string.Join(' ', args)} did not exit within 5 s of its output closing");
            Assert.Equal(0, p.ExitCode);
            Assert.True(stderr.Wait(5_000));
            // what stderr may say: that it traces, and its closing line; nothing else (no error, no exception)
            Assert.All(
                stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries),
                l => Assert.Matches(@"^tcpscope: (tracing via .*; Ctrl-C to stop|\d+ events in [0-9.]+ s from .*, \d+ lost)$", l));
        }
        finally
        {
            if (!p.HasExited)
            {
                p.Kill();
            }
        }
    }

    [PrivilegedFact]
    public void Duration_counts_from_attach_not_from_the_set_up_of_a_big_ring()
    {
        (int code, string stdout, string stderr) = Tool.Run(Tool.StartInfo("states", "--json", "--ring-size", "256", "-d", "1", "-L", "1"), TimeSpan.FromSeconds(60));

        Assert.True(code == 0, stderr);
        JsonElement summary = JsonDocument.Parse(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
        Assert.Equal("summary", summary.GetProperty("type").GetString());
        Assert.InRange(summary.GetProperty("seconds").GetDouble(), 0.95, 5);
    }

    [PrivilegedFact]
    public void A_lab_tears_down_its_namespaces_and_firewall_on_sighup_and_says_so()
    {
        using Process p = Process.Start(Tool.StartInfo("lab", "connect-timeout", "--timeout", "30"))!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        string prefix = $"tslab-connect-timeout-";
        string mine = $"-{p.Id}-";
        try
        {
            // the scenario is under way once its firewall rule exists in the server namespace
            var watch = Stopwatch.StartNew();
            string? server = null;
            while (watch.Elapsed < TimeSpan.FromSeconds(20))
            {
                server = LabNamespaces(prefix, mine).FirstOrDefault(n => n.Contains("-srv-", StringComparison.Ordinal));
                if (server is not null && Run("ip", "netns", "exec", server, "iptables", "-S", "INPUT").Contains("--dport 81", StringComparison.Ordinal))
                {
                    break;
                }

                Thread.Sleep(100);
            }

            Assert.NotNull(server);
            using (Process kill = Process.Start("kill", ["-HUP", p.Id.ToString(CultureInfo.InvariantCulture)])!)
            {
                kill.WaitForExit(5000);
            }

            Assert.True(p.WaitForExit(10_000), "the lab did not exit within 10 s of SIGHUP");
            Assert.Equal(129, p.ExitCode);
            Assert.Contains("interrupted by SIGHUP", stderr.Result);
            Assert.Empty(LabNamespaces(prefix, mine));
            Assert.DoesNotContain("--dport 81", Run("iptables", "-S"));
        }
        finally
        {
            if (!p.HasExited)
            {
                p.Kill();
            }
        }
    }

    [PrivilegedFact]
    public void A_lab_without_the_capabilities_exits_77_naming_them()
    {
        string dir = Directory.CreateTempSubdirectory("tcpscope-nocap-").FullName;
        try
        {
            Run("chmod", "755", dir); // the other user must reach the binary
            string plain = Path.Combine(dir, "tcpscope");
            File.Copy(Binary(), plain);
            Run("chmod", "755", plain);

            // a non-root user; then the same with file capabilities, which ip and iptables do not inherit
            (int code, string err) = RunAsNobody(plain, "lab", "refused");
            Assert.Equal(77, code);
            Assert.Contains("CAP_SYS_ADMIN", err);
            Assert.Contains("sudo", err);

            string capable = Path.Combine(dir, "tcpscope-cap");
            File.Copy(plain, capable);
            Assert.Equal("", Run("setcap", "cap_sys_admin,cap_net_admin,cap_bpf,cap_perfmon+ep", capable).Trim());
            (code, err) = RunAsNobody(capable, "lab", "refused");
            Assert.True(code == 77, err);
            Assert.Contains("CAP_SYS_ADMIN", err);
            Assert.DoesNotContain("unexpected error", err);
            (code, err) = RunAsNobody(capable, "demo");
            Assert.True(code == 77, err);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [PrivilegedFact]
    public void A_lab_whose_tools_are_missing_exits_69_naming_the_package()
    {
        ProcessStartInfo psi = Tool.StartInfo("lab", "refused");
        psi.FileName = Binary();
        psi.Environment["PATH"] = "/nonexistent";
        (int code, _, string err) = Tool.Run(psi, TimeSpan.FromSeconds(30));

        Assert.Equal(69, code);
        Assert.Contains("`ip`", err);
        Assert.Contains("apt-get install iproute2", err);
    }

    [PrivilegedFact]
    public void A_pid_that_does_not_exist_is_warned_about_and_traced_anyway()
    {
        (int code, _, string err) = Tool.Run(Tool.StartInfo("states", "--pid", "2147483646", "-d", "0.2"), TimeSpan.FromSeconds(30));

        Assert.Equal(0, code);
        Assert.Contains("warning: no process 2147483646 (yet?)", err);
    }

    [PrivilegedFact]
    public void On_a_terminal_nothing_sends_control_sequences()
    {
        // script(1) gives the binary a pseudo-terminal and records every byte it sends there
        foreach (string args in new[] { "states -d 0.3", "states --help", "lab --list", "doctor" })
        {
            string typescript = Path.GetTempFileName();
            try
            {
                Run("script", "-qec", $"{Binary()} {args}", typescript);
                string seen = File.ReadAllText(typescript);
                Assert.True(seen.Split('\n').Length > 3, $"`tcpscope {args}` wrote almost nothing to the terminal: {seen}");
                Assert.False(seen.Contains('\u001b'), $"`tcpscope {args}` wrote an escape sequence: {seen.Replace("\u001b", "ESC", StringComparison.Ordinal)[..Math.Min(200, seen.Length)]}");
            }
            finally
            {
                File.Delete(typescript);
            }
        }
    }

    private static string Binary()
    {
        string? bin = Environment.GetEnvironmentVariable("TCPSCOPE_BIN");
        Assert.False(string.IsNullOrEmpty(bin), "this test runs the published binary: set TCPSCOPE_BIN (scripts/test.sh does)");
        return bin!;
    }

    private static (int Code, string Err) RunAsNobody(string binary, params string[] args)
    {
        var psi = new ProcessStartInfo("setpriv") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = "/" };
        foreach (string a in (string[])["--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", binary, .. args])
        {
            psi.ArgumentList.Add(a);
        }

        (int code, _, string err) = Tool.Run(psi, TimeSpan.FromSeconds(30));
        return (code, err);
    }

    private static IEnumerable<string> LabNamespaces(string prefix, string mine) =>
        Run("ip", "netns", "list").Split('\n').Select(l => l.Split(' ')[0]).Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.Contains(mine, StringComparison.Ordinal)).ToList();

    private static string Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        (_, string stdout, _) = Tool.Run(psi, TimeSpan.FromSeconds(20));
        return stdout;
    }

    /// <summary>One loopback connection (a listener of this test on an ephemeral port), closed at once.</summary>
    private static void Touch()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        client.Connect((IPEndPoint)listener.LocalEndpoint);
        using TcpClient accepted = listener.AcceptTcpClient();
    }
}
