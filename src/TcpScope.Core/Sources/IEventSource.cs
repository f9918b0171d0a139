using TcpScope.Decode;

namespace TcpScope.Sources;

/// <summary>
/// A stream of decoded events: the kernel through BPF, or a recording. The source owns the
/// clock: the times it passes to <see cref="IEventSink.OnIdle"/> and returns in
/// <see cref="SourceStats"/> are those of its events. Everything
/// above this layer only sees <see cref="IEventSink"/> calls.
/// </summary>
public interface IEventSource : IDisposable
{
    /// <summary>How events are obtained, for the user ("tp_btf/inet_sock_set_state").</summary>
    string Description { get; }

    /// <summary>The kernel now (a session says it is tracing and Ctrl-C stops it), or a recording (it ends by itself).</summary>
    bool Live { get; }

    /// <summary>CLOCK_REALTIME minus CLOCK_MONOTONIC where the events were taken: turns their timestamps into times of day.</summary>
    long WallOffsetNs { get; }

    /// <summary>The kernel's enum names for the numbers in the events (the recording's own when replayed).</summary>
    KernelEnums Enums { get; }

    /// <summary>Delivers events until cancelled (or the source ends), then what was seen and lost.</summary>
    SourceStats Run(IEventSink sink, CancellationToken cancellation);
}
