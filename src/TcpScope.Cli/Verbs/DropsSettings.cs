using TcpScope.Sources;

namespace TcpScope.Cli.Verbs;

/// <summary>Everything `tcpscope drops` was asked to do, bound from the command line.</summary>
public sealed record DropsSettings
{
    /// <summary>The kernel filters; <see cref="StatesFilter.DropReasons"/> is filled from <see cref="Reasons"/> against the kernel.</summary>
    public StatesFilter Filter { get; init; } = new();

    /// <summary>--reason: drop reason names as the user gave them (validated against the running kernel's).</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    public bool Json { get; init; }

    /// <summary>--stacks: the kernel stack of each drop.</summary>
    public bool Stacks { get; init; }

    public bool LiveFindings { get; init; }

    /// <summary>--count: count in the kernel and print a table every <see cref="Interval"/>, no line per drop.</summary>
    public bool Count { get; init; }

    /// <summary>--interval: how often --count prints.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Stop by itself after this long; null runs until Ctrl-C.</summary>
    public TimeSpan? Duration { get; init; }

    public TraceOptions Trace { get; init; } = new();

    /// <summary>--record: also record the live source's records to this file.</summary>
    public string? RecordTo { get; init; }

    /// <summary>--from: replay this recording instead of tracing.</summary>
    public string? ReplayFrom { get; init; }
}
