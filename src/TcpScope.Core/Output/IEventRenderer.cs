using TcpScope.Decode;
using TcpScope.Diagnosis;
using TcpScope.Sources;

namespace TcpScope.Output;

/// <summary>
/// Writes a verb's events, findings and closing summary in one format (text table, JSON
/// lines). Output is buffered and flushed on <see cref="IEventSink.OnIdle"/>.
/// </summary>
public interface IEventRenderer : IEventSink, IDisposable
{
    void WriteHeader();

    void WriteFinding(Finding finding);

    void WriteSummary(RunSummary summary);

    void Flush();
}
