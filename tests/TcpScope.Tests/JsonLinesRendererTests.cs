using System.Text.Json;
using TcpScope.Decode;
using TcpScope.Diagnosis;
using TcpScope.Output;
using TcpScope.Sources;

namespace TcpScope.Tests;

public class JsonLinesRendererTests
{
    private static List<JsonElement> Render(Action<JsonLinesRenderer> write)
    {
        var stream = new MemoryStream();
        using (var r = new JsonLinesRenderer(stream, wallOffsetNs: 1_763_900_000_000_000_000))
        {
            write(r);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .ToList();
    }

    [Fact]
    public void A_state_event_is_one_line_with_stable_names_and_enum_names()
    {
        List<JsonElement> lines = Render(r => r.OnStateChange(
            Events.State(2_000_000_000, 0xffff888102e08940, TcpState.ESTABLISHED, TcpState.CLOSE_WAIT, "[fd00::2]:8080", "[fd00::1]:41000", deltaNs: 1_234_567)));

        JsonElement e = Assert.Single(lines);
        Assert.Equal(
            ["type", "schema", "ts_ns", "time", "netns", "skaddr", "pid", "comm", "owner_known", "task_pid", "task_comm", "family", "laddr", "lport", "raddr", "rport", "oldstate", "newstate", "ms"],
            e.EnumerateObject().Select(p => p.Name));
        Assert.Equal("state", e.GetProperty("type").GetString());
        Assert.Equal("2025-11-23T12:13:22.000000Z", e.GetProperty("time").GetString());
        Assert.Equal("0xffff888102e08940", e.GetProperty("skaddr").GetString());
        Assert.Equal(4711, e.GetProperty("pid").GetInt32());
        Assert.Equal("server", e.GetProperty("comm").GetString());
        Assert.Equal("swapper/1", e.GetProperty("task_comm").GetString());
        Assert.Equal("ipv6", e.GetProperty("family").GetString());
        Assert.Equal("fd00::2", e.GetProperty("laddr").GetString());
        Assert.Equal(41000, e.GetProperty("rport").GetInt32());
        Assert.Equal("ESTABLISHED", e.GetProperty("oldstate").GetString());
        Assert.Equal("CLOSE_WAIT", e.GetProperty("newstate").GetString());
        Assert.Equal(1.235, e.GetProperty("ms").GetDouble());
    }

    [Fact]
    public void Unknown_time_in_state_is_null()
    {
        JsonElement e = Assert.Single(Render(r => r.OnStateChange(Events.State(1, 1, TcpState.CLOSE, TcpState.LISTEN))));
        Assert.Equal(JsonValueKind.Null, e.GetProperty("ms").ValueKind);
    }

    [Fact]
    public void Findings_and_the_summary_are_typed_lines()
    {
        var finding = new Finding("TCP-X", Severity.Warning, "title", "subject", ["a", "b"], "why", "fix");
        List<JsonElement> lines = Render(r =>
        {
            r.WriteFinding(finding);
            r.WriteSummary(new RunSummary(new SourceStats(10, 2, 0, SocketsNotFollowed: 5), "tp_btf/inet_sock_set_state", TimeSpan.FromSeconds(1.5)));
        });

        Assert.Equal("finding", lines[0].GetProperty("type").GetString());
        Assert.Equal("warning", lines[0].GetProperty("severity").GetString());
        Assert.Equal(["a", "b"], lines[0].GetProperty("evidence").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal("summary", lines[1].GetProperty("type").GetString());
        Assert.Equal(10, lines[1].GetProperty("events").GetInt32());
        Assert.Equal(2, lines[1].GetProperty("lost").GetInt32());
        // every count of what was not followed is in the summary, zero or not
        Assert.Equal(5, lines[1].GetProperty("sockets_not_followed").GetInt32());
        Assert.Equal(0, lines[1].GetProperty("listeners_not_followed").GetInt32());
        Assert.Equal(0, lines[1].GetProperty("failed_connects_not_followed").GetInt32());
    }
}
