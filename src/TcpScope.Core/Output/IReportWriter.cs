using TcpScope.Diagnosis;

namespace TcpScope.Output;

/// <summary>What every verb's renderer writes besides its records: header, findings, the closing summary.</summary>
public interface IReportWriter : IDisposable
{
    void WriteHeader();

    void WriteFinding(Finding finding);

    void WriteSummary(RunSummary summary);

    /// <summary>
    /// The summary is a record of the output (JSON), not a line on the diagnostics writer: when
    /// the output's reader is gone (`| head`), the session says it on the diagnostics writer too.
    /// </summary>
    bool SummaryInOutput { get; }

    void Flush();
}
