using TcpScope.Sources;

namespace TcpScope.Cli.Verbs;

/// <summary>Everything `tcpscope record` was asked to do, bound from the command line.</summary>
public sealed record RecordSettings
{
    public required string Output { get; init; }

    public StatesFilter Filter { get; init; } = new();

    public bool Stacks { get; init; }

    public TimeSpan? Duration { get; init; }

    public TraceOptions Trace { get; init; } = new();
}
