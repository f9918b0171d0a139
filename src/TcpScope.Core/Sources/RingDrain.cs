using TcpScope.Bpf;
using TcpScope.Decode;
using TcpScope.Decode.Abi;
using TcpScope.Host;
using TcpScope.Recording;

namespace TcpScope.Sources;

/// <summary>
/// The reading loop of every BPF source: drain the ring, let the sink flush, sleep a drain
/// interval; at the end detach first, then take what is still in the ring and the lost count.
/// </summary>
internal static class RingDrain
{
    public static SourceStats Run(BpfObject obj, IReadOnlyList<BpfLink> links, TraceOptions options, KernelEnums enums, IEventSink sink, CancellationToken cancellation)
    {
        var decoder = new RecordDecoder(sink, enums);
        IRingTap? tap = options.Tap;
        using var reader = new RingBufferReader(obj.MapFd("events"), tap is null ? decoder : new Tee(tap, decoder));
        long startNs = MonotonicClock.NowNs();
        while (!cancellation.IsCancellationRequested)
        {
            // drain first: what arrived while attaching is shown at once, not a period later
            reader.Drain();
            Idle(tap, sink);
            // a sleep, not a wait on the ring: see RingBufferReader; Ctrl-C ends it at once
            cancellation.WaitHandle.WaitOne(options.DrainIntervalMs);
        }

        foreach (BpfLink link in links)
        {
            link.Dispose();
        }

        reader.Drain();
        long endNs = Idle(tap, sink);
        var counters = new PerCpuCounters(obj.MapFd("counters"));
        return new SourceStats(
            decoder.Events,
            counters.Sum((uint)Counter.Lost),
            decoder.Malformed,
            counters.Sum((uint)Counter.SocketsFull),
            counters.Sum((uint)Counter.ListenersFull),
            counters.Sum((uint)Counter.AttemptsFull),
            counters.Sum((uint)Counter.Gone),
            startNs,
            endNs);
    }

    /// <summary>The end of a drain: the tap records the very "now" the sink is given, so a replay gives it again.</summary>
    private static long Idle(IRingTap? tap, IEventSink sink)
    {
        long now = MonotonicClock.NowNs();
        tap?.OnBatchEnd(now);
        sink.OnIdle(now);
        return now;
    }

    private sealed class Tee(IRingTap tap, IRecordHandler decoder) : IRecordHandler
    {
        public void OnRecord(ReadOnlySpan<byte> record)
        {
            tap.OnRecord(record);
            decoder.OnRecord(record);
        }
    }
}
