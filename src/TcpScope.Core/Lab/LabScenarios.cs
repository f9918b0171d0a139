using TcpScope.Lab.Scenarios;

namespace TcpScope.Lab;

/// <summary>Every scenario the lab can run, by name.</summary>
public static class LabScenarios
{
    public static IReadOnlyList<ILabScenario> All { get; } =
    [
        new AcceptOverflowScenario(),
        new SynFloodScenario(),
        new ConnectTimeoutScenario(),
        new RefusedScenario(),
        new CloseWaitLeakScenario(),
        new TimewaitSynScenario(),
        new SynSentBadAckScenario(),
        new SnatPortReuseScenario(),
        new NormalScenario(),
    ];

    public static ILabScenario? Find(string name) => All.FirstOrDefault(s => s.Name == name);
}
