using System.Text;
using System.Text.Json;
using TcpScope.Cli.Verbs;
using TcpScope.Correlation;
using TcpScope.Host;
using TcpScope.Output;
using TcpScope.Records.Json;
using static TcpScope.Tests.RecordSamples;

namespace TcpScope.Tests;

/// <summary>The JSON of life, the connect summary, lab and doctor, rendered and read back field by field.</summary>
public class RecordJsonTests
{
    [Fact]
    public void Life_lines_of_a_connect_and_a_close()
    {
        Connection c = Closed();
        List<JsonElement> lines = Lines(stream =>
        {
            using var r = new ConnectionsJsonRenderer(stream, Clock.OffsetNs);
            r.WriteLife(LifeEventKind.Connect, Ms / 10, c);
            r.WriteLife(LifeEventKind.Close, 12 * Ms, c);
        });

        JsonElement connect = lines[0];
        Assert.Equal(("life", "connect"), (connect.GetProperty("type").GetString(), connect.GetProperty("event").GetString()));
        Assert.Equal("2026-11-23T12:00:00.000100Z", connect.GetProperty("time").GetString());
        Assert.Equal("0xffff888108089280", connect.GetProperty("skaddr").GetString());
        Assert.Equal((7, "curl", "syscall"), (connect.GetProperty("pid").GetInt32(), connect.GetProperty("comm").GetString(), connect.GetProperty("owner_from").GetString()));
        Assert.Equal(0.1, connect.GetProperty("handshake_ms").GetDouble());
        Assert.False(connect.TryGetProperty("lifetime_ms", out _));
        Assert.False(connect.TryGetProperty("accept_wait_ms", out _));

        JsonElement close = lines[1];
        Assert.Equal("close", close.GetProperty("event").GetString());
        Assert.Equal(12.0, close.GetProperty("lifetime_ms").GetDouble());
        Assert.False(close.TryGetProperty("seen_ms", out _));
        Assert.True(close.GetProperty("complete").GetBoolean());
        Assert.Equal((18, 25), (close.GetProperty("bytes_sent").GetInt32(), close.GetProperty("bytes_received").GetInt32()));
        Assert.Equal(["CLOSE", "SYN_SENT", "ESTABLISHED", "FIN_WAIT1", "CLOSE"], close.GetProperty("path").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(JsonValueKind.Null, close.GetProperty("reset_received_in").ValueKind);
        Assert.Equal(JsonValueKind.Null, close.GetProperty("errno").ValueKind);
        Assert.False(close.TryGetProperty("error", out _));
    }

    [Fact]
    public void Connect_summary_counts_every_outcome_by_its_snake_case_name()
    {
        var summary = new ConnectSummary();
        summary.Add(TimedOut());
        JsonElement s = Assert.Single(Lines(stream =>
        {
            using var r = new ConnectionsJsonRenderer(stream, Clock.OffsetNs);
            r.WriteConnectSummary(summary);
        }));

        Assert.Equal("connect_summary", s.GetProperty("type").GetString());
        Assert.Equal((1, 1, 2), (s.GetProperty("attempts").GetInt32(), s.GetProperty("failures").GetInt32(), s.GetProperty("syn_retransmits").GetInt32()));
        Assert.Equal(
            ["established", "refused", "timed_out", "aborted", "unreachable", "reset_after_bad_ack", "in_progress"],
            s.GetProperty("outcomes").EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, s.GetProperty("outcomes").GetProperty("timed_out").GetInt32());
        Assert.Equal(JsonValueKind.Null, s.GetProperty("handshake_p50_ms").ValueKind);
        JsonElement d = Assert.Single(s.GetProperty("destinations").EnumerateArray().ToList());
        Assert.Equal(("198.18.0.2:81", 4026532177u), (d.GetProperty("remote").GetString(), d.GetProperty("netns").GetUInt32()));
        Assert.Equal(1, d.GetProperty("outcomes").GetProperty("timed_out").GetInt32());
        Assert.Equal(0, s.GetProperty("other_destinations_attempts").GetInt32());
    }

    [Fact]
    public void Lab_result_is_one_line_with_outcomes_by_name_and_counters_by_their_nstat_names()
    {
        JsonElement lab = Assert.Single(Lines(stream => LabResultJson.Write(stream, RecordSamples.Lab())));

        Assert.Equal(("lab", "connect-timeout", "drop"), (lab.GetProperty("type").GetString(), lab.GetProperty("scenario").GetString(), lab.GetProperty("variant").GetString()));
        Assert.Equal(3.5, lab.GetProperty("seconds").GetDouble());
        Assert.Equal("198.18.0.2:81", lab.GetProperty("facts").GetProperty("server").GetString());
        JsonElement client = lab.GetProperty("clients")[0];
        Assert.Equal("kernel_timed_out", client.GetProperty("outcome").GetString());
        Assert.Equal(3.0123, client.GetProperty("seconds").GetDouble());
        Assert.Equal((40170, "lab-client"), (client.GetProperty("local_port").GetInt32(), client.GetProperty("comm").GetString()));
        JsonElement ns = lab.GetProperty("namespaces")[0];
        Assert.Equal(2, ns.GetProperty("counter_deltas").GetProperty("TcpExtTCPSynRetrans").GetInt32());
        JsonElement socket = ns.GetProperty("sockets")[0];
        Assert.Equal(("SYN_SENT", "198.18.0.1:40170", "198.18.0.2:81"), (socket.GetProperty("state").GetString(), socket.GetProperty("local").GetString(), socket.GetProperty("remote").GetString()));
        Assert.Equal(0, socket.GetProperty("send_q").GetInt32());
    }

    [Fact]
    public void Doctor_report_names_capabilities_as_the_kernel_does_and_probe_verdicts_in_snake_case()
    {
        var report = new DoctorReport(
            "6.18.0",
            Btf: true,
            "1.1.2",
            LibbpfProblem: null,
            new Capabilities(1UL << (int)Capability.CAP_BPF),
            "/sys/kernel/tracing",
            [new ProbeResult("states", "handle_set_state_btf", "tp_btf/inet_sock_set_state", ProbeStatus.Works, ""), new ProbeResult("conn", "handle_x", "kprobe/x", ProbeStatus.NotSupported, "no kprobes")],
            ["handle_set_state_btf"],
            new Dictionary<string, bool> { ["states"] = true, ["life"] = false });

        using JsonDocument doc = JsonDocument.Parse(JsonSerializer.Serialize(report.ToRecord(), RecordJsonContext.Default.DoctorRecord));
        JsonElement d = doc.RootElement;
        Assert.Equal(("doctor", 1), (d.GetProperty("type").GetString(), d.GetProperty("schema").GetInt32()));
        Assert.Equal(["CAP_BPF", "CAP_PERFMON", "CAP_NET_ADMIN", "CAP_SYS_ADMIN"], d.GetProperty("capabilities").EnumerateObject().Select(p => p.Name));
        Assert.True(d.GetProperty("capabilities").GetProperty("CAP_BPF").GetBoolean());
        Assert.False(d.GetProperty("capabilities").GetProperty("CAP_PERFMON").GetBoolean());
        Assert.Equal(["works", "not_supported"], d.GetProperty("probes").EnumerateArray().Select(p => p.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Null, d.GetProperty("libbpf_problem").ValueKind);
        Assert.True(d.GetProperty("core_works").GetBoolean());
        Assert.Equal([("states", true), ("life", false)], d.GetProperty("verbs").EnumerateObject().Select(p => (p.Name, p.Value.GetBoolean())));
    }

    private static List<JsonElement> Lines(Action<Stream> write)
    {
        var stream = new MemoryStream();
        write(stream);
        return [.. Encoding.UTF8.GetString(stream.ToArray())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement)];
    }
}
