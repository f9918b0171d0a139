using TcpScope.Host;

namespace TcpScope.Tests;

public class HostParsingTests
{
    // CapEff lines as /proc/self/status shows them (root on kernel 6.18; an unprivileged shell)
    [Theory]
    [InlineData("000001ffffffffff", true, true)]
    [InlineData("0000000000000000", false, false)]
    [InlineData("000000c000000000", true, true)] // CAP_PERFMON + CAP_BPF only
    [InlineData("0000008000000000", false, true)] // CAP_BPF only
    public void Capabilities_come_from_the_CapEff_line(string capEff, bool canTrace, bool hasBpf)
    {
        Capabilities c = Capabilities.Parse($"Name:\tbash\nCapInh:\t0000000000000000\nCapPrm:\t{capEff}\nCapEff:\t{capEff}\nCapBnd:\t000001ffffffffff\n");

        Assert.Equal(canTrace, c.MissingForTracing().Count == 0);
        Assert.Equal(hasBpf, c.Has(Capability.CAP_BPF));
    }

    [Fact]
    public void Missing_tracing_capabilities_are_named()
    {
        Capabilities c = new(1UL << (int)Capability.CAP_BPF);

        Assert.Equal([Capability.CAP_PERFMON], c.MissingForTracing());
    }

    [Theory]
    [InlineData("4026532177", 4026532177u)]
    [InlineData("net:[4026532177]", 4026532177u)]
    [InlineData("no-such-namespace-xyz", null)]
    [InlineData("0", null)]
    public void Namespaces_resolve_from_numbers_and_names(string spec, uint? expected)
    {
        Assert.Equal(expected, NetworkNamespaces.Resolve(spec));
    }

    [Fact]
    public void This_process_namespace_resolves_through_proc()
    {
        uint self = NetworkNamespaces.Current();

        Assert.NotEqual(0u, self);
        Assert.Equal(self, NetworkNamespaces.Resolve("/proc/self/ns/net"));
    }
}
