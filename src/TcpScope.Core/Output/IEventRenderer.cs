using TcpScope.Decode;

namespace TcpScope.Output;

/// <summary>
/// Writes a verb's events, findings and closing summary in one format (text table, JSON
/// lines). Output is buffered and flushed on <see cref="IEventSink.OnIdle"/>.
/// </summary>
public interface IEventRenderer : IEventSink, IReportWriter
{
}
