using TcpScope.Decode;
using TcpScope.Output;
using TcpScope.Sources;

namespace TcpScope.Tests;

public class StatesTextRendererTests
{
    private static (string Out, string Err) Render(StatesTextOptions options, params StateChange[] events)
    {
        var output = new MemoryStream();
        var diagnostics = new StringWriter();
        using (var r = new StatesTextRenderer(output, diagnostics, options))
        {
            r.WriteHeader();
            foreach (StateChange e in events)
            {
                r.OnStateChange(e);
            }

            r.WriteSummary(new RunSummary(new SourceStats(events.Length, 0, 0), "tp_btf/inet_sock_set_state", TimeSpan.FromSeconds(2)));
        }

        return (System.Text.Encoding.UTF8.GetString(output.ToArray()), diagnostics.ToString());
    }

    [Fact]
    public void Writes_tcpstates_columns()
    {
        (string text, string summary) = Render(
            new StatesTextOptions(),
            Events.State(1, 0xffff888102e08940, TcpState.SYN_SENT, TcpState.ESTABLISHED, "198.18.0.1:36876", "198.18.0.2:80", 3728, "curl", 243_456));

        Assert.Equal(
            "SKADDR           C-PID   C-COMM     LADDR           LPORT RADDR           RPORT OLDSTATE    -> NEWSTATE    MS\n"
            + "ffff888102e08940 3728    curl       198.18.0.1      36876 198.18.0.2      80    SYN_SENT    -> ESTABLISHED 0.243\n",
            text);
        Assert.Equal("tcpscope: 1 events in 2.0 s from tp_btf/inet_sock_set_state, 0 lost", summary.Trim());
    }

    [Fact]
    public void Unknown_time_in_state_shows_a_dash_and_long_comms_are_cut_to_ten()
    {
        (string text, _) = Render(
            new StatesTextOptions(),
            Events.State(1, 0x1, TcpState.LISTEN, TcpState.SYN_RECV, ownerComm: "verylongservername"));

        string line = text.Split('\n')[1];
        Assert.Contains(" verylongse ", line);
        Assert.EndsWith("LISTEN      -> SYN_RECV    -", line);
    }

    [Fact]
    public void Wide_mode_fits_full_ipv6_addresses()
    {
        (string text, _) = Render(
            new StatesTextOptions { Wide = true },
            Events.State(1, 0x1, TcpState.ESTABLISHED, TcpState.FIN_WAIT1, "[2001:db8:1234:5678:9abc:def0:1234:5678]:443", "[::1]:50000", deltaNs: 1_500_000));

        string line = text.Split('\n')[1];
        Assert.Contains("2001:db8:1234:5678:9abc:def0:1234:5678" + "  443   " + "::1".PadRight(39) + " 50000 ESTABLISHED -> FIN_WAIT1   1.500", line);
    }

    [Fact]
    public void Time_of_day_prefixes_each_line()
    {
        long wallOffset = new DateTimeOffset(2026, 11, 23, 14, 30, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000_000;
        (string text, _) = Render(
            new StatesTextOptions { TimeOfDay = true, WallOffsetNs = wallOffset, TimeZone = TimeZoneInfo.Utc },
            Events.State(5_000_000_000, 0x1, TcpState.CLOSE, TcpState.SYN_SENT));

        string[] lines = text.Split('\n');
        Assert.StartsWith("TIME     SKADDR", lines[0]);
        Assert.StartsWith("14:30:05 0000000000000001 4711", lines[1]);
    }

    [Fact]
    public void Lost_events_are_explained_in_the_summary()
    {
        var diagnostics = new StringWriter();
        using var r = new StatesTextRenderer(new MemoryStream(), diagnostics, new StatesTextOptions());
        r.WriteSummary(new RunSummary(new SourceStats(100, 7, 0), "tracepoint/sock/inet_sock_set_state", TimeSpan.FromSeconds(1)));

        Assert.Contains("7 lost (the ring buffer was full", diagnostics.ToString());
    }

    [Fact]
    public void Sockets_a_full_table_did_not_follow_are_in_the_summary_with_the_option_that_helps()
    {
        var diagnostics = new StringWriter();
        using var r = new StatesTextRenderer(new MemoryStream(), diagnostics, new StatesTextOptions());
        r.WriteSummary(new RunSummary(new SourceStats(100, 0, 0, SocketsNotFollowed: 377), "tp_btf/inet_sock_set_state", TimeSpan.FromSeconds(1)));

        string line = diagnostics.ToString();
        Assert.Contains("0 lost; 377 sockets not followed", line);
        Assert.Contains("--max-sockets", line);
        Assert.DoesNotContain("listeners not followed", line); // nothing to say about what was all followed
    }
}
