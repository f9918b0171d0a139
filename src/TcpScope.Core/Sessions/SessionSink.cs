using TcpScope.Decode;
using TcpScope.Diagnosis;
using TcpScope.Output;

namespace TcpScope.Sessions;

/// <summary>
/// What the source feeds: every event to the pipeline (which ends with the rules); at each idle,
/// live findings that are news, a flush, and a stop when nobody reads the output any more.
/// </summary>
internal sealed class SessionSink(IEventSink pipeline, IReportWriter report, RuleSet rules, bool liveFindings, Func<bool> outputClosed, CancellationTokenSource stop) : IEventSink
{
    private const long LiveFindingsIntervalNs = 1_000_000_000;

    private long nextEvaluationNs;

    public FindingTracker Tracker { get; } = new();

    public void OnStateChange(in StateChange e) => pipeline.OnStateChange(in e);

    public void OnSocketEvent(in SocketEvent e) => pipeline.OnSocketEvent(in e);

    public void OnTotals(in SocketTotals e) => pipeline.OnTotals(in e);

    public void OnIcmpError(in IcmpError e) => pipeline.OnIcmpError(in e);

    public void OnStack(StackSample e) => pipeline.OnStack(e);

    public void OnDrop(in PacketDrop e) => pipeline.OnDrop(in e);

    public void OnIdle(long monotonicNowNs)
    {
        pipeline.OnIdle(monotonicNowNs);
        if (liveFindings && monotonicNowNs >= nextEvaluationNs)
        {
            nextEvaluationNs = monotonicNowNs + LiveFindingsIntervalNs;
            foreach (Finding f in Tracker.News(rules.Evaluate(monotonicNowNs), monotonicNowNs))
            {
                report.WriteFinding(f);
            }
        }

        report.Flush();
        if (outputClosed())
        {
            stop.Cancel(); // `| head` has what it wanted: detach and end as after Ctrl-C
        }
    }
}
