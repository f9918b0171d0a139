namespace TcpScope.Correlation;

/// <summary>The end of a trace: attempts still waiting for an answer are told, not forgotten.</summary>
public sealed partial class ConnectionTable
{
    /// <summary>
    /// Tells the observers of each connect attempt still in SYN_SENT at <paramref name="nowNs"/>
    /// (the source's clock at its end), oldest first: for someone chasing a hang, the attempt
    /// that had no answer yet is the one that matters.
    /// </summary>
    public void EndOfTrace(long nowNs)
    {
        List<ConnectAttempt> waiting = [];
        foreach (Connection c in AllOpen())
        {
            if (c.State == Decode.TcpState.SYN_SENT && ConnectAttempt.InProgress(c, nowNs) is { } a)
            {
                waiting.Add(a);
            }
        }

        waiting.Sort(static (a, b) => a.StartNs.CompareTo(b.StartNs));
        foreach (ConnectAttempt a in waiting)
        {
            foreach (IConnectionObserver o in observers)
            {
                o.OnConnectInProgress(a);
            }
        }
    }
}
