using TcpScope.Probes;

namespace TcpScope.Host;

/// <summary>
/// Loads and attaches each program of the given families on its own, to say what works on this
/// host and why not: the verdicts come from the probe set's code, so doctor and the verbs agree.
/// </summary>
public static class ProbeTester
{
    public static IReadOnlyList<ProbeResult> TestAll(params ProbeFamily[] families) =>
        [.. families.SelectMany(f => f.Programs.Select(p => ProbeSet.Test(f, p.Name)))];
}
