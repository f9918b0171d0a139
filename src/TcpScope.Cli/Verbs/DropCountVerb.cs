using System.Globalization;
using TcpScope.Decode;
using TcpScope.Decode.Abi;
using TcpScope.Host;
using TcpScope.Host.Symbols;
using TcpScope.Output;
using TcpScope.Sources;

namespace TcpScope.Cli.Verbs;

/// <summary>
/// `tcpscope drops --count`: the drops counted in the kernel by (netns, reason, location, socket
/// state), read every interval and printed as the rows that gained, most first; the totals at the end.
/// </summary>
public static class DropCountVerb
{
    public static int Run(DropsSettings s, CliConsole console, StatesFilter filter, CancellationToken cancellation)
    {
        Task<KernelEnums> enums = TracePreflight.Check();
        TracePreflight.WarnAboutFilter(filter, console.Error);
        using Interruption stop = new(cancellation);
        using DropCountSource source = DropCountSource.Start(filter, s.Trace);
        // counting starts at the attach: the first interval and the run's rate are from here
        long startNs = MonotonicClock.NowNs();
        foreach (string degraded in source.Degraded)
        {
            console.Error.WriteLine($"tcpscope: {degraded}");
        }

        console.Error.WriteLine($"tcpscope: counting drops via {source.Description}, a table every {s.Interval.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} s; Ctrl-C to stop");

        KernelLocations locations = KernelLocations.OfThisHost();

        if (!locations.Names)
        {
            console.Error.WriteLine($"tcpscope: {KernelLocations.HiddenNotice}");
        }

        var deltas = new DropCountDeltas(enums.GetAwaiter().GetResult());
        Stream stdout = console.OpenOutputStream();
        using IDropCountRenderer renderer = s.Json
            ? new DropCountJsonRenderer(stdout, source.WallOffsetNs, locations)
            : new DropCountTextRenderer(stdout, source.WallOffsetNs, locations);
        renderer.WriteHeader();

        long lastNs = startNs;
        long? endNs = s.Duration is { } d ? startNs + (long)(d.TotalMilliseconds * 1e6) : null;
        long intervalNs = (long)(s.Interval.TotalMilliseconds * 1e6);
        var counts = new Dictionary<DropCountKey, ulong>();
        bool closed = false, saidSocketUnknown = false;
        while (!stop.Token.IsCancellationRequested && !closed)
        {
            long next = Math.Min(lastNs + intervalNs, endNs ?? long.MaxValue);
            // short waits, so a reader that went away (| head) ends the run within a moment, not an interval
            while (!stop.Token.IsCancellationRequested && MonotonicClock.NowNs() < next && !(closed = console.OutputClosed()))
            {
                stop.Token.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(Math.Clamp((next - MonotonicClock.NowNs()) / 1e6, 1, 100)));
            }

            if (stop.Token.IsCancellationRequested || closed)
            {
                break;
            }

            long now = MonotonicClock.NowNs();
            source.Read(counts);
            IReadOnlyList<DropCountRow> rows = deltas.Advance(counts, (now - lastNs) / 1e9);
            if (!saidSocketUnknown && rows.Any(r => r.SocketUnknown))
            {
                saidSocketUnknown = true;
                console.Error.WriteLine("tcpscope: this kernel's kfree_skb does not say which socket received a segment (rx_sk came in 6.11): STATE shows ? for segments no socket owned");
            }

            renderer.WriteInterval(now, (now - lastNs) / 1e9, rows);
            lastNs = now;
            if (endNs is { } end && now >= end)
            {
                break;
            }
        }

        // what came since the last interval counts in the totals too
        long finalNs = MonotonicClock.NowNs();
        source.Read(counts);
        deltas.Advance(counts, (finalNs - lastNs) / 1e9);
        double seconds = (finalNs - startNs) / 1e9;
        if (!console.OutputClosed())
        {
            renderer.WriteTotals(finalNs, seconds, deltas.Totals(seconds));
        }

        ulong notCounted = source.NotCounted;
        // with --pid/--comm a drop is counted only when its socket's owner is known: sockets not followed are drops that may be missing
        ulong notFollowed = filter.Pid != 0 || filter.Comm is not null ? source.SocketsNotFollowed : 0;
        console.Error.WriteLine(
            $"tcpscope: {deltas.Total} drops counted over {seconds.ToString("0.0", CultureInfo.InvariantCulture)} s in {counts.Count} {(counts.Count == 1 ? "row" : "rows")}"
            + (notCounted > 0 ? $"; {notCounted} more not counted (more than {DropCountKey.MaxKeys} distinct rows)" : "")
            + (notFollowed > 0 ? $"; {notFollowed} sockets or listeners not followed (their owners unknown, so their drops not matched by --pid/--comm: raise --max-sockets)" : ""));
        return ExitCodes.Ok;
    }
}
