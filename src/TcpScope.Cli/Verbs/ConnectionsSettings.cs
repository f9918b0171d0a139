using TcpScope.Output;
using TcpScope.Sources;

namespace TcpScope.Cli.Verbs;

/// <summary>Everything `tcpscope life` or `tcpscope connect` was asked to do, bound from the command line.</summary>
public sealed record ConnectionsSettings
{
    public ConnectionsView View { get; init; }

    public StatesFilter Filter { get; init; } = new();

    public bool Json { get; init; }

    public bool LiveFindings { get; init; }

    public TimeSpan? Duration { get; init; }

    public TraceOptions Trace { get; init; } = new();

    /// <summary>--record: also record the live source's records to this file.</summary>
    public string? RecordTo { get; init; }

    /// <summary>--from: replay this recording instead of tracing.</summary>
    public string? ReplayFrom { get; init; }

    /// <summary>connect: only attempts that did not establish.</summary>
    public bool FailedOnly { get; init; }

    /// <summary>connect: kernel and user stacks of each attempt.</summary>
    public bool Stacks { get; init; }

    public Diagnosis.RuleOptions Rules { get; init; } = new();
}
