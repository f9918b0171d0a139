using TcpScope.Correlation;
using TcpScope.Decode;
using TcpScope.Diagnosis;
using TcpScope.Output;
using TcpScope.Sources;

namespace TcpScope.Sessions;

/// <summary>
/// What a verb is: which source, which views of the events and of the connections, which rules
/// from the catalogue, where the report goes. <see cref="Session"/> assembles the pipeline from it.
/// </summary>
public sealed record SessionPlan
{
    /// <summary>The events: the probe set live, or a recording.</summary>
    public required IEventSource Source { get; init; }

    /// <summary>Where the header, findings and the closing summary go.</summary>
    public required IReportWriter Report { get; init; }

    /// <summary>Views of the decoded events themselves (the states renderers), in this order, before the rules.</summary>
    public IReadOnlyList<IEventSink> EventViews { get; init; } = [];

    /// <summary>Views of connections (life, connect): when there is one, or a rule needs connections, the session follows them.</summary>
    public IReadOnlyList<IConnectionObserver> ConnectionViews { get; init; } = [];

    /// <summary>Ids of the rules to run, from <see cref="RuleCatalogue"/>.</summary>
    public IReadOnlyList<string> Rules { get; init; } = [];

    public RuleOptions RuleOptions { get; init; } = new();

    /// <summary>Connections followed at once (the kernel's socket table has as many).</summary>
    public int ConnectionCapacity { get; init; } = ConnectionTable.DefaultCapacity;

    /// <summary>The source sends stacks for connect attempts: a connection waits for them before its milestones.</summary>
    public bool ExpectStacks { get; init; }

    /// <summary>Print findings as they appear, not only at the end.</summary>
    public bool LiveFindings { get; init; }

    /// <summary>Stop by itself after this long, counted from the start of the session (the source is ready).</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Asked every idle: true stops the session (nobody reads the output any more).</summary>
    public Func<bool> OutputClosed { get; init; } = static () => false;

    /// <summary>Where the session says what it reads from.</summary>
    public TextWriter? Diagnostics { get; init; }

    /// <summary>Writes what the verb adds at the end, before the findings (the connect summary).</summary>
    public Action? BeforeFindings { get; init; }

    /// <summary>What the views counted instead of showing, for the summary.</summary>
    public IReadOnlyList<IShortfalls> ViewShortfalls { get; init; } = [];
}
