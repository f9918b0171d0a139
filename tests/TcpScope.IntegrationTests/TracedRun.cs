using TcpScope.Decode;
using TcpScope.Host;
using TcpScope.Probes;
using TcpScope.Sources;

namespace TcpScope.IntegrationTests;

/// <summary>A BPF source running on a thread of its own while a test makes traffic; Stop returns what it saw.</summary>
internal sealed class TracedRun : IDisposable
{
    private readonly IEventSource source;
    private readonly Collector collector;
    private readonly CancellationTokenSource cts = new();
    private readonly Task<SourceStats> running;

    private TracedRun(IEventSource source, IEventSink? also)
    {
        this.source = source;
        collector = new Collector(also);
        running = Task.Factory.StartNew(() => source.Run(collector, cts.Token), TaskCreationOptions.LongRunning);
    }

    public static TracedRun Start(StatesFilter filter, AttachMode mode = AttachMode.TpBtf, IEventSink? also = null)
    {
        if (mode == AttachMode.Tracepoint)
        {
            Tracefs.EnsureMounted();
        }

        // only the program of that attach mode, so a test of the fallback cannot pass on tp_btf
        string program = mode == AttachMode.TpBtf ? "states_btf" : "states_tp";
        ProbeFamily states = ProbeFamily.States.Without([.. ProbeFamily.States.Programs.Select(p => p.Name).Where(p => p != program)]);
        KernelEnums enums = KernelEnums.LoadOrBuiltIn();
        ProbeSetSource s = ProbeSetSource.Start(states, [], filter, new TraceOptions(), () => enums);
        Assert.Equal([program], s.Attached);
        return new TracedRun(s, also);
    }

    public (IReadOnlyList<StateChange> Events, SourceStats Stats) Stop()
    {
        cts.Cancel();
        Assert.True(running.Wait(TimeSpan.FromSeconds(10)), "the source did not stop within 10 s of cancellation");
        lock (collector)
        {
            return (collector.Events.ToList(), running.Result);
        }
    }

    /// <summary>Runs <paramref name="inspect"/> while no event is delivered (for sinks that are not thread-safe).</summary>
    public T Paused<T>(Func<T> inspect)
    {
        lock (collector)
        {
            return inspect();
        }
    }

    public void Dispose()
    {
        cts.Cancel();
        running.Wait(TimeSpan.FromSeconds(10));
        source.Dispose();
        cts.Dispose();
    }

    private sealed class Collector(IEventSink? also) : IEventSink
    {
        public List<StateChange> Events { get; } = [];

        public List<PacketDrop> Drops { get; } = [];

        public void OnStateChange(in StateChange e)
        {
            lock (this)
            {
                Events.Add(e);
                also?.OnStateChange(in e);
            }
        }

        public void OnSocketEvent(in SocketEvent e)
        {
            lock (this)
            {
                also?.OnSocketEvent(in e);
            }
        }

        public void OnTotals(in SocketTotals e)
        {
            lock (this)
            {
                also?.OnTotals(in e);
            }
        }

        public void OnIcmpError(in IcmpError e)
        {
            lock (this)
            {
                also?.OnIcmpError(in e);
            }
        }

        public void OnStack(StackSample e)
        {
            lock (this)
            {
                also?.OnStack(e);
            }
        }

        public void OnDrop(in PacketDrop e)
        {
            lock (this)
            {
                Drops.Add(e);
                also?.OnDrop(in e);
            }
        }

        public void OnIdle(long monotonicNowNs)
        {
            lock (this)
            {
                also?.OnIdle(monotonicNowNs);
            }
        }
    }
}
