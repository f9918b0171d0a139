using TcpScope.Sources.Counters;

namespace TcpScope.Tests;

/// <summary>The /proc/net parsers against files captured on a real machine (see Fixtures/README.md).</summary>
public class ProcNetParsingTests
{
    private static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    [Fact]
    public void Counters_pair_names_with_values_under_nstat_names()
    {
        var values = new Dictionary<string, long>();
        ProcNetCounters.Parse(Fixture("proc-net-netstat.txt"), values);
        ProcNetCounters.Parse(Fixture("proc-net-snmp.txt"), values);

        Assert.Contains("TcpExtListenOverflows", values.Keys);
        Assert.Contains("TcpExtPAWSTimewait", values.Keys);
        Assert.Contains("TcpExtTCPSynRetrans", values.Keys);
        Assert.Contains("TcpAttemptFails", values.Keys);
        Assert.Contains("IpExtInOctets", values.Keys);
        Assert.Equal(-1, values["TcpMaxConn"]); // the one signed counter
        Assert.Equal(200, values["TcpRtoMin"]);
    }

    [Fact]
    public void Unpaired_counter_lines_are_refused()
    {
        Assert.Throws<InvalidDataException>(() => ProcNetCounters.Parse("TcpExt: A B\nTcpExt: 1\n", []));
    }

    [Fact]
    public void Deltas_keep_only_what_moved()
    {
        var before = new CounterSnapshot(new Dictionary<string, long> { ["TcpExtListenOverflows"] = 5, ["TcpOutRsts"] = 1 });
        var after = new CounterSnapshot(new Dictionary<string, long> { ["TcpExtListenOverflows"] = 40, ["TcpOutRsts"] = 1, ["TcpExtNew"] = 2 });

        Assert.Equal(new Dictionary<string, long> { ["TcpExtListenOverflows"] = 35, ["TcpExtNew"] = 2 }, after.DeltaSince(before));
    }
}
