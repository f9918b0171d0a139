using TcpScope.Decode;

namespace TcpScope.Sources;

/// <summary>
/// A stream of decoded events: the kernel through BPF now, a recording later. Everything
/// above this layer only sees <see cref="IEventSink"/> calls.
/// </summary>
public interface IEventSource : IDisposable
{
    /// <summary>How events are obtained, for the user ("tp_btf/inet_sock_set_state").</summary>
    string Description { get; }

    /// <summary>Delivers events until cancelled (or the source ends), then what was seen and lost.</summary>
    SourceStats Run(IEventSink sink, CancellationToken cancellation);
}
