using System.Diagnostics;
using System.Net;
using System.Text.Json;
using TcpScope.Lab;

namespace TcpScope.IntegrationTests;

/// <summary>The tcpscope binary as a user runs it: attach, Ctrl-C, JSON lines, exit codes.</summary>
public class CliEndToEndTests
{
    [PrivilegedFact]
    public void States_json_streams_a_connection_and_stops_cleanly_on_ctrl_c()
    {
        using NetworkNamespace ns = NetworkNamespace.Create("ts-cli");
        using Process p = Process.Start(Tool.StartInfo("states", "--json", "--netns", ns.Name))!;
        try
        {
            string? line = p.StandardError.ReadLine(); // "tcpscope: tracing via ...; Ctrl-C to stop" once attached
            Assert.NotNull(line);
            Assert.Contains("tracing via tp_btf/inet_sock_set_state", line);
            Task<string> stdout = p.StandardOutput.ReadToEndAsync();

            LoopbackExchange.Endpoints ends = ns.Run(() => LoopbackExchange.Run(IPAddress.Loopback, "a"u8.ToArray(), "b"u8.ToArray()));
            Interrupt(p);
            Assert.True(p.WaitForExit(10_000), "tcpscope did not exit within 10 s of SIGINT");
            Assert.Equal(0, p.ExitCode);

            List<JsonElement> lines = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            List<JsonElement> states = lines.Where(l => l.GetProperty("type").GetString() == "state").ToList();
            Assert.Equal(12, states.Count);
            Assert.Contains(states, s => s.GetProperty("lport").GetInt32() == ends.Client.Port && s.GetProperty("newstate").GetString() == "ESTABLISHED");
            Assert.All(states, s => Assert.Equal(ns.Inode, s.GetProperty("netns").GetUInt32()));
            JsonElement summary = lines[^1];
            Assert.Equal("summary", summary.GetProperty("type").GetString());
            Assert.Equal(12, summary.GetProperty("events").GetInt32());
            Assert.Equal(0, summary.GetProperty("lost").GetInt32());
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
    public void Connect_json_reports_a_refused_attempt_of_another_process_with_its_summary()
    {
        // the lab runs as its own process: the attempt's owner is that process, not tcpscope or this test
        using Process p = Process.Start(Tool.StartInfo("connect", "--json", "--failed", "--remote-port", "81"))!;
        try
        {
            Assert.Contains("tracing via", p.StandardError.ReadLine());
            Task<string> stdout = p.StandardOutput.ReadToEndAsync();
            using Process lab = Process.Start(Tool.StartInfo("lab", "refused", "--json"))!;
            string labJson = lab.StandardOutput.ReadToEnd();
            Assert.True(lab.WaitForExit(60_000), "the lab did not finish in 60 s");
            JsonElement client = JsonDocument.Parse(labJson).RootElement.GetProperty("clients")[0];
            Interrupt(p);
            Assert.True(p.WaitForExit(10_000), "tcpscope did not exit within 10 s of SIGINT");
            Assert.Equal(0, p.ExitCode);

            List<JsonElement> lines = [.. stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)];
            JsonElement attempt = Assert.Single(lines, l => l.GetProperty("type").GetString() == "connect");
            Assert.Equal("refused", attempt.GetProperty("outcome").GetString());
            Assert.Equal(lab.Id, attempt.GetProperty("pid").GetInt32());
            Assert.Equal(client.GetProperty("comm").GetString(), attempt.GetProperty("comm").GetString());
            Assert.Equal("ECONNREFUSED", attempt.GetProperty("error").GetString());
            JsonElement summary = Assert.Single(lines, l => l.GetProperty("type").GetString() == "connect_summary");
            Assert.Equal(1, summary.GetProperty("outcomes").GetProperty("refused").GetInt32());
            Assert.Contains(lines, l => l.GetProperty("type").GetString() == "finding" && l.GetProperty("id").GetString() == "TCP-CONNECT-REFUSED");
            Assert.Equal("summary", lines[^1].GetProperty("type").GetString());
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
    public void Sigint_stops_it_even_when_started_with_sigint_ignored()
    {
        // what a shell does to background jobs (`tcpscope states &` in a script)
        ProcessStartInfo tool = Tool.StartInfo("states", "--duration", "60");
        var psi = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("trap '' INT; exec \"$@\"");
        psi.ArgumentList.Add("bash");
        psi.ArgumentList.Add(tool.FileName);
        foreach (string a in tool.ArgumentList)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Assert.Contains("tracing via", p.StandardError.ReadLine());
        Interrupt(p);
        Assert.True(p.WaitForExit(10_000), "SIGINT did not stop tcpscope started with SIGINT ignored");
        Assert.Equal(0, p.ExitCode);
        Assert.Contains(" lost", p.StandardError.ReadToEnd());
        Assert.StartsWith("SKADDR", stdout.Result);
    }

    [PrivilegedFact]
    public void Without_capabilities_states_names_what_is_missing_and_exits_77()
    {
        // setpriv drops every capability from the bounding set: uid 0 without privileges
        ProcessStartInfo tool = Tool.StartInfo("states");
        var psi = new ProcessStartInfo("setpriv") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in new[] { "--bounding-set=-all", "--inh-caps=-all", "--", tool.FileName }.Concat(tool.ArgumentList))
        {
            psi.ArgumentList.Add(a);
        }

        (int code, _, string err) = Tool.Run(psi, TimeSpan.FromSeconds(30));

        Assert.Equal(77, code);
        Assert.Contains("missing capabilities CAP_BPF and CAP_PERFMON", err);
        Assert.Contains("setcap", err);
        Assert.DoesNotContain("   at ", err); // no stack trace without --verbose
    }

    [PrivilegedFact]
    public void Doctor_exits_zero_when_the_core_probe_works()
    {
        (int code, string output, _) = Tool.Run(Tool.StartInfo("doctor"), TimeSpan.FromSeconds(60));

        Assert.Equal(0, code);
        Assert.Matches(@"ok\s+states/states_btf\s+tp_btf/inet_sock_set_state", output);
        Assert.Contains("core: working", output);
    }

    private static void Interrupt(Process p)
    {
        using Process kill = Process.Start("kill", ["-INT", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit(5000);
    }
}

/// <summary>`tcpscope lab` as a user runs it.</summary>
public class LabCliTests
{
    [PrivilegedFact]
    public void Lab_json_reports_the_outcome_counters_and_sockets()
    {
        (int code, string output, string err) = Tool.Run(Tool.StartInfo("lab", "refused", "--json"), TimeSpan.FromSeconds(60));

        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        JsonElement r = doc.RootElement;
        Assert.Equal("lab", r.GetProperty("type").GetString());
        Assert.Equal("closed-port", r.GetProperty("variant").GetString());
        Assert.Equal("refused", r.GetProperty("clients")[0].GetProperty("outcome").GetString());
        JsonElement server = r.GetProperty("namespaces").EnumerateArray().Single(n => n.GetProperty("role").GetString() == "server");
        Assert.Equal(1, server.GetProperty("counter_deltas").GetProperty("TcpOutRsts").GetInt32());
    }

    [PrivilegedFact]
    public void Ctrl_c_stops_a_lab_and_removes_its_namespaces()
    {
        using Process p = Process.Start(Tool.StartInfo("lab", "connect-timeout", "--timeout", "60"))!;
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        string? ns = null;
        for (int i = 0; i < 100 && ns is null; i++)
        {
            Thread.Sleep(50);
            ns = Directory.Exists("/run/netns") ? Directory.GetFiles("/run/netns", $"tslab-connect-timeout-srv-{p.Id}-*").FirstOrDefault() : null;
        }

        Assert.NotNull(ns);
        Thread.Sleep(500);
        using (Process kill = Process.Start("kill", ["-INT", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
        {
            kill.WaitForExit(5000);
        }

        Assert.True(p.WaitForExit(10_000), "the lab did not stop within 10 s of SIGINT");
        Assert.Equal(130, p.ExitCode); // 128 + SIGINT, as a shell reports an interrupted command
        Assert.Contains("interrupted by SIGINT", stderr.Result);
        Assert.False(File.Exists(ns), $"{ns} was left behind");
    }

    [Fact]
    public void Lab_list_describes_every_scenario()
    {
        var output = new StringWriter();
        int code = Cli.CliApp.Run(["lab", "--list"], output, new StringWriter());

        Assert.Equal(0, code);
        foreach (string name in new[] { "accept-overflow", "syn-flood", "connect-timeout", "refused", "timewait-syn", "synsent-bad-ack", "snat-port-reuse", "close-wait-leak", "normal" })
        {
            Assert.Contains($"{name} (variants:", output.ToString());
        }
    }
}
