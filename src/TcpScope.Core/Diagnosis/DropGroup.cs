using TcpScope.Decode;

namespace TcpScope.Diagnosis;

/// <summary>
/// The drops of one reason at one local endpoint in one network namespace, as a drop rule
/// keeps them: how many, over what time, the first few as examples, and what the receiving
/// socket told last (queues, owner).
/// </summary>
public sealed class DropGroup(uint netNs, string local, string reason)
{
    /// <summary>Drops kept as examples per group.</summary>
    public const int MaxExamples = 5;

    private readonly List<PacketDrop> examples = [];

    public uint NetNs { get; } = netNs;

    /// <summary>"198.18.0.2:81": where the dropped segments were going (the receiving end).</summary>
    public string Local { get; } = local;

    /// <summary>The drop reason's name ("NETFILTER_DROP"), or how the kernel failed to give one.</summary>
    public string Reason { get; } = reason;

    public long Count { get; private set; }

    /// <summary>Dropped segments that were SYNs (no ACK flag): new connections that did not start.</summary>
    public long Syns { get; private set; }

    /// <summary>Dropped segments that were bare handshake or data ACKs (ACK without SYN, FIN, RST).</summary>
    public long Acks { get; private set; }

    /// <summary>Dropped segments that carried data (not only flags: a FIN purged at close loses nothing).</summary>
    public long WithPayload { get; private set; }

    /// <summary>Resets the kernel sent in answer to these segments (for the rules that count them).</summary>
    public long Resets { get; private set; }

    public long FirstNs { get; private set; }

    public long LastNs { get; private set; }

    public IReadOnlyList<PacketDrop> Examples => examples;

    /// <summary>The last drop that carried a listener's queue figures.</summary>
    public PacketDrop? LastWithQueues { get; private set; }

    /// <summary>The largest accept queue seen at a drop.</summary>
    public uint PeakAckBacklog { get; private set; }

    /// <summary>The last drop whose receiving socket's owner was known.</summary>
    public PacketDrop? LastOwned { get; private set; }

    /// <summary>Drops per second over the time they came in, counted over at least a second (a burst is not a rate).</summary>
    public double RatePerSecond => Count / Seconds;

    /// <summary>Segments with data dropped per second, counted like <see cref="RatePerSecond"/>.</summary>
    public double PayloadRatePerSecond => WithPayload / Seconds;

    private double Seconds => Math.Max(1.0, (LastNs - FirstNs) / 1e9);

    public void Add(in PacketDrop e)
    {
        if (Count == 0)
        {
            FirstNs = e.TimestampNs;
        }

        Count++;
        LastNs = Math.Max(LastNs, e.TimestampNs);
        byte handshake = (byte)(e.TcpFlags & (DropRule.Syn | DropRule.Ack | DropRule.Fin | DropRule.Rst));
        if (handshake == DropRule.Syn)
        {
            Syns++;
        }
        else if (handshake == DropRule.Ack)
        {
            Acks++;
        }

        if (e.Payload > 0)
        {
            WithPayload++;
        }

        if (examples.Count < MaxExamples)
        {
            examples.Add(e);
        }

        if (e.HasListenerQueues)
        {
            LastWithQueues = e;
            PeakAckBacklog = Math.Max(PeakAckBacklog, e.AckBacklog);
        }

        if (e.OwnerKnown)
        {
            LastOwned = e;
        }
    }

    public void AddReset() => Resets++;
}
