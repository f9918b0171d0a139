using TcpScope.Output;
using TcpScope.Sources;

namespace TcpScope.Cli.Verbs;

/// <summary>Everything `tcpscope states` was asked to do, bound from the command line.</summary>
public sealed record StatesSettings
{
    public StatesFilter Filter { get; init; } = new();

    public bool Json { get; init; }

    public bool TimeOfDay { get; init; }

    public bool Wide { get; init; }

    /// <summary>Print findings as they appear, not only at the end.</summary>
    public bool LiveFindings { get; init; }

    public Diagnosis.RuleOptions Rules { get; init; } = new();

    /// <summary>Stop by itself after this long; null runs until Ctrl-C.</summary>
    public TimeSpan? Duration { get; init; }

    public TraceOptions Trace { get; init; } = new();

    /// <summary>--record: also record the live source's records to this file.</summary>
    public string? RecordTo { get; init; }

    /// <summary>--from: replay this recording instead of tracing.</summary>
    public string? ReplayFrom { get; init; }

    public StatesTextOptions TextOptions(long wallOffsetNs) => new() { TimeOfDay = TimeOfDay, Wide = Wide, WallOffsetNs = wallOffsetNs };
}
