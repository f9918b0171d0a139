using TcpScope.Diagnosis;
using TcpScope.Output;

namespace TcpScope.Tests;

/// <summary>A report writer for tests that only look at what reaches the pipeline.</summary>
internal sealed class NullReportWriter : IReportWriter
{
    /// <summary>Whether it stands for a JSON renderer (the summary is a record of the output).</summary>
    public bool SummaryInOutput { get; init; }

    public void WriteHeader()
    {
    }

    public void WriteFinding(Finding finding)
    {
    }

    public void WriteSummary(RunSummary summary)
    {
    }

    public void Flush()
    {
    }

    public void Dispose()
    {
    }
}
