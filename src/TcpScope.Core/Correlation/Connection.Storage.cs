using System.Runtime.CompilerServices;
using TcpScope.Decode;
using TcpScope.Decode.Abi;

namespace TcpScope.Correlation;

/// <summary>How a connection's events are folded in and stored compactly: path, timeline, the rare part.</summary>
public sealed partial class Connection
{
    internal void Add(long timestampNs, SocketEventKind? kind, TcpState from, TcpState to, int value)
    {
        LastSeenNs = timestampNs;
        Touched = true;
        if (timelineCount >= MaxTimeline)
        {
            Extra().TimelineDropped++;
            return;
        }

        var step = new Step(timestampNs, value, kind is SocketEventKind k ? (byte)k : NoEvent, (byte)from, (byte)to);
        if (timelineCount < InlineStepCount)
        {
            firstSteps[timelineCount++] = step;
            return;
        }

        int more = timelineCount - InlineStepCount;
        if (moreSteps is null || more == moreSteps.Length)
        {
            Array.Resize(ref moreSteps, moreSteps is null ? 4 : Math.Min(moreSteps.Length * 2, MaxTimeline - InlineStepCount));
        }

        moreSteps[more] = step;
        timelineCount++;
    }

    internal void AddState(TcpState from, TcpState to)
    {
        if (pathCount == 0)
        {
            AppendPath(from);
        }

        if (pathCount < MaxTimeline)
        {
            AppendPath(to);
        }

        State = to;
    }

    /// <summary>The state it was in when first seen by an event that is not a transition.</summary>
    internal void SetFirstState(TcpState state)
    {
        if (pathCount == 0)
        {
            AppendPath(state);
        }

        State = state;
    }

    internal void AddSynRetransmit(long ns)
    {
        if (synRetransmitCount >= MaxTimeline)
        {
            return;
        }

        if (synRetransmits is null || synRetransmitCount == synRetransmits.Length)
        {
            Array.Resize(ref synRetransmits, synRetransmits is null ? 4 : synRetransmits.Length * 2);
        }

        synRetransmits[synRetransmitCount++] = ns;
    }

    private static long? Time(long ns) => ns == NoTime ? null : ns;

    private Step StepAt(int i) => i < InlineStepCount ? firstSteps[i] : moreSteps![i - InlineStepCount];

    private void AppendPath(TcpState s)
    {
        if (pathCount < InlinePath)
        {
            // the enum's values fit four bits; anything else would be a decoding bug, kept visible as Unknown
            ulong v = (byte)s <= 0xf ? (byte)s : (byte)TcpState.Unknown;
            pathLow |= v << (4 * pathCount);
        }
        else
        {
            pathMore ??= new TcpState[MaxTimeline - InlinePath];
            pathMore[pathCount - InlinePath] = s;
        }

        pathCount++;
    }

    private Rare Extra() => rare ??= new Rare();

    /// <summary>One step of the timeline as stored: <see cref="TimelineEntry"/> in 16 bytes.</summary>
    private readonly struct Step(long timestampNs, int value, byte @event, byte from, byte to)
    {
        public readonly long TimestampNs = timestampNs;
        public readonly int Value = value;
        public readonly byte Event = @event;
        public readonly byte From = from;
        public readonly byte To = to;
    }

    [InlineArray(InlineStepCount)]
    private struct InlineSteps
    {
        private Step first;
    }

    /// <summary>What few connections have: kept out of the object every open connection pays for.</summary>
    private sealed class Rare
    {
        public string? LastResetReason;
        public TcpState? LastResetSentIn;
        public IcmpError? Icmp;
        public ulong[]? KernelStack;
        public ulong[]? UserStack;
        public uint UserStackPid;
        public int ResetsSent;
        public int ResetsSentInSynSent;
        public int TimelineDropped;
    }
}
