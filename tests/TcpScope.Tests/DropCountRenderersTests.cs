using System.Text;
using System.Text.Json;
using TcpScope.Decode;
using TcpScope.Host.Symbols;
using TcpScope.Output;

namespace TcpScope.Tests;

/// <summary>drops --count's table and JSON lines, rendered into memory.</summary>
public class DropCountRenderersTests
{
    private static readonly KernelLocations Locations = new(new SymbolTable([(0xffffffff81a00000, "nft_do_chain")], KernelSymbols.MaxFunctionSize));

    private static readonly DropCountRow Firewall = new(4026531840, 6, "NETFILTER_DROP", 0xffffffff81a0046f, null, 3, 7, 1.5);
    private static readonly DropCountRow Listener = new(4026531840, 40, "TCP_LISTEN_OVERFLOW", 0xffffffff81a00010, TcpState.LISTEN, 1, 1, 0.5);

    private static string Render(bool json)
    {
        var stdout = new MemoryStream();
        using (IDropCountRenderer r = json
            ? new DropCountJsonRenderer(stdout, RecordSamples.Clock.OffsetNs, Locations)
            : new DropCountTextRenderer(stdout, RecordSamples.Clock.OffsetNs, Locations))
        {
            r.WriteHeader();
            r.WriteInterval(RecordSamples.Ms, 2.0, [Firewall, Listener]);
            r.WriteInterval(RecordSamples.Ms + 1, 2.0, [Firewall with { SocketUnknown = true }]);
            r.WriteTotals(2 * RecordSamples.Ms, 10.0, [Firewall with { Count = 7, RatePerSecond = 0.7 }]);
        }

        return Encoding.UTF8.GetString(stdout.ToArray());
    }

    [Fact]
    public void The_table_has_a_row_per_key_then_totals_and_what_each_reason_means()
    {
        string[] lines = Render(json: false).Split('\n');

        Assert.Equal(["TIME", "COUNT", "RATE/s", "NETNS", "STATE", "REASON", "LOCATION"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["3", "1.5", "4026531840", "no", "socket", "NETFILTER_DROP", "nft_do_chain+0x46f"], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]);
        Assert.Equal(["1", "0.5", "4026531840", "LISTEN", "TCP_LISTEN_OVERFLOW", "nft_do_chain+0x10"], lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]);
        Assert.Equal(["3", "1.5", "4026531840", "?", "NETFILTER_DROP", "nft_do_chain+0x46f"], lines[3].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]);
        Assert.Equal(["total", "7", "0.7", "4026531840", "no", "socket", "NETFILTER_DROP", "nft_do_chain+0x46f"], lines[4].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("what the reasons mean:", lines[5]);
        Assert.StartsWith("    NETFILTER_DROP: a firewall rule", lines[6], StringComparison.Ordinal);
        Assert.Equal("", lines[7]);
    }

    [Fact]
    public void Json_has_one_record_per_row_with_its_span()
    {
        string[] lines = Render(json: true).TrimEnd('\n').Split('\n');

        Assert.Equal(4, lines.Length);
        using JsonDocument first = JsonDocument.Parse(lines[0]);
        JsonElement e = first.RootElement;
        Assert.Equal(
            ("drop_count", "interval", 2.0, "NETFILTER_DROP", 6, "nft_do_chain+0x46f", JsonValueKind.Null, 3, 7, 1.5),
            (e.GetProperty("type").GetString(), e.GetProperty("span").GetString(), e.GetProperty("seconds").GetDouble(), e.GetProperty("reason").GetString(),
             e.GetProperty("reason_code").GetInt32(), e.GetProperty("location").GetString(), e.GetProperty("state").ValueKind,
             e.GetProperty("count").GetInt32(), e.GetProperty("total").GetInt32(), e.GetProperty("rate_per_s").GetDouble()));
        using JsonDocument second = JsonDocument.Parse(lines[1]);
        Assert.Equal("LISTEN", second.RootElement.GetProperty("state").GetString());
        using JsonDocument unknown = JsonDocument.Parse(lines[2]);
        Assert.Equal((JsonValueKind.Null, true), (unknown.RootElement.GetProperty("state").ValueKind, unknown.RootElement.GetProperty("socket_unknown").GetBoolean()));
        Assert.False(first.RootElement.GetProperty("socket_unknown").GetBoolean());
        using JsonDocument last = JsonDocument.Parse(lines[3]);
        Assert.Equal(("run", 10.0, 7), (last.RootElement.GetProperty("span").GetString(), last.RootElement.GetProperty("seconds").GetDouble(), last.RootElement.GetProperty("count").GetInt32()));
    }
}
