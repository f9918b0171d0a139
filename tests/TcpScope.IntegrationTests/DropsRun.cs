using TcpScope.Decode;
using TcpScope.Probes;
using TcpScope.Sources;

namespace TcpScope.IntegrationTests;

/// <summary>The drops family running on a thread of its own while a lab scenario makes traffic: what `drops` would show.</summary>
internal sealed class DropsRun : IDisposable
{
    private readonly ProbeSetSource source;
    private readonly CancellationTokenSource cts = new();
    private readonly Task<SourceStats> running;
    private readonly Collector collector = new();

    private DropsRun(ProbeFamily family, StatesFilter filter, bool stacks)
    {
        KernelEnums enums = KernelEnums.LoadOrBuiltIn();
        source = ProbeSetSource.Start(family, [], filter, new TraceOptions(), () => enums, stacks);
        Assert.Empty(source.Degraded);
        Assert.Contains("drops_reset", source.Attached);
        running = Task.Factory.StartNew(() => source.Run(collector, cts.Token), TaskCreationOptions.LongRunning);
    }

    public static DropsRun Start(ProbeFamily? family = null, StatesFilter? filter = null, bool stacks = false) => new(family ?? ProbeFamily.Drops, filter ?? new StatesFilter(), stacks);

    /// <summary>Runs a lab scenario with the family tracing from the moment its namespaces exist; the drops of its two namespaces, none lost.</summary>
    public static (Lab.LabResult Lab, IReadOnlyList<PacketDrop> Drops) AroundLab(Lab.ILabScenario scenario, Lab.LabOptions options, ProbeFamily? family = null)
    {
        DropsRun? trace = null;
        uint client = 0, server = 0;
        try
        {
            Lab.LabResult r = Lab.LabRun.Execute(scenario, options, CancellationToken.None, t =>
            {
                (client, server) = (t.Client.Inode, t.Server.Inode);
                trace = Start(family);
            });
            Assert.NotNull(trace);
            (IReadOnlyList<PacketDrop> drops, SourceStats stats) = trace.Stop(client, server);
            Assert.Equal(0ul, stats.Lost);
            return (r, drops);
        }
        finally
        {
            trace?.Dispose();
        }
    }

    /// <summary>The kernel stacks that came (--stacks), by the timestamp of their drop.</summary>
    public IReadOnlyDictionary<long, ulong[]> Stacks
    {
        get
        {
            lock (collector)
            {
                return collector.Stacks.ToDictionary();
            }
        }
    }

    public IReadOnlyList<string> Attached => source.Attached;

    /// <summary>Stops (after a drain, so the last records are in) and returns what came from the given namespaces.</summary>
    public (IReadOnlyList<PacketDrop> Drops, SourceStats Stats) Stop(params uint[] netns)
    {
        Thread.Sleep(100);
        cts.Cancel();
        Assert.True(running.Wait(TimeSpan.FromSeconds(10)), "the source did not stop within 10 s of cancellation");
        lock (collector)
        {
            return ([.. collector.Drops.Where(d => netns.Contains(d.NetNs))], running.Result);
        }
    }

    public void Dispose()
    {
        cts.Cancel();
        running.Wait(TimeSpan.FromSeconds(10));
        source.Dispose();
        cts.Dispose();
    }

    private sealed class Collector : IEventSink
    {
        public List<PacketDrop> Drops { get; } = [];

        public Dictionary<long, ulong[]> Stacks { get; } = [];

        public void OnDrop(in PacketDrop e)
        {
            lock (this)
            {
                Drops.Add(e);
            }
        }

        // the drops family sends nothing else: its state-hook program only keeps the owners' bookkeeping
        public void OnStateChange(in StateChange e) => throw new InvalidOperationException("the drops family sent a state change");

        public void OnSocketEvent(in SocketEvent e) => throw new InvalidOperationException("the drops family sent a socket event");

        public void OnTotals(in SocketTotals e) => throw new InvalidOperationException("the drops family sent totals");

        public void OnIcmpError(in IcmpError e) => throw new InvalidOperationException("the drops family sent an ICMP error");

        public void OnStack(StackSample e)
        {
            if (e.Where != Decode.Abi.StackWhere.KernelAtDrop)
            {
                throw new InvalidOperationException($"the drops family sent a {e.Where} stack");
            }

            lock (this)
            {
                Stacks[e.TimestampNs] = e.Frames.ToArray();
            }
        }

        public void OnIdle(long monotonicNowNs)
        {
        }
    }
}
