using TcpScope.Diagnosis;

namespace TcpScope.Output;

/// <summary>What every verb's renderer writes besides its records: header, findings, the closing summary.</summary>
public interface IReportWriter : IDisposable
{
    void WriteHeader();

    void WriteFinding(Finding finding);

    void WriteSummary(RunSummary summary);

    void Flush();
}
