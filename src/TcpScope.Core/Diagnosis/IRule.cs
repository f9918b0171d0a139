using TcpScope.Correlation;
using TcpScope.Decode;

namespace TcpScope.Diagnosis;

/// <summary>
/// A diagnosis rule: it watches the event stream and, when the session follows connections,
/// their milestones, and says at any moment what it finds. Rules do not print or keep global
/// state; the same events always give the same findings.
/// </summary>
public interface IRule : IEventSink, IConnectionObserver
{
    /// <summary>The <see cref="Finding.Id"/> this rule produces.</summary>
    string Id { get; }

    /// <summary>Findings as of <paramref name="monotonicNowNs"/> (the source's clock, that of event timestamps).</summary>
    IReadOnlyList<Finding> Evaluate(long monotonicNowNs);
}
