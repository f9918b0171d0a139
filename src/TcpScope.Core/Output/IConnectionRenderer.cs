using TcpScope.Correlation;

namespace TcpScope.Output;

/// <summary>Writes the records of `life` and `connect` in one format.</summary>
public interface IConnectionRenderer : IReportWriter
{
    void WriteLife(LifeEventKind kind, long timestampNs, Connection c);

    /// <param name="stacks">Symbolised stacks to show under the record, or null.</param>
    void WriteAttempt(ConnectAttempt a, AttemptStacks? stacks);

    void WriteConnectSummary(ConnectSummary s);
}
