using System.Buffers.Binary;
using TcpScope.Decode;
using TcpScope.Decode.Abi;

namespace TcpScope.Correlation;

/// <summary>A connection to and from its quiet form (<see cref="QuietConnection"/>).</summary>
public sealed partial class Connection
{
    private const int QuietPath = 8; // states a QuietConnection's path holds

    /// <summary>An event came since the table last looked (at the end of a batch): not quiet.</summary>
    internal bool Touched { get; set; } = true;

    /// <summary>It closed, or its record ended where its events were lost: no longer open (most connections of a batch, told apart without a look-up).</summary>
    internal bool Ended => endedNs != NoTime || EndLost;

    /// <summary>Its quiet form, if it fits one: nothing of what few connections have (rare part, more than four steps, SYN retransmits, totals), times within ±2 s of the first.</summary>
    internal bool TryQuiet(out QuietConnection q)
    {
        q = default;
        if (rare is not null || moreSteps is not null || synRetransmits is not null || pathMore is not null || totals is not null
            || pathCount > QuietPath || timelineCount > InlineStepCount)
        {
            return false;
        }

        q.FirstSeenNs = FirstSeenNs;
        if (!Offset(LastSeenNs, out q.LastSeen) || !Offset(connectStartNs, out q.ConnectStart) || !Offset(establishedNs, out q.Established)
            || !Offset(acceptedNs, out q.Accepted) || !Offset(endedNs, out q.Ended))
        {
            return false;
        }

        for (int i = 0; i < timelineCount; i++)
        {
            Step s = firstSteps[i];
            if (s.From > 0xf || s.To > 0xf || !Offset(s.TimestampNs, out q.StepOffsets[i]) || q.StepOffsets[i] == QuietConnection.NoOffset)
            {
                return false;
            }

            q.StepValues[i] = s.Value;
            q.StepEvents[i] = s.Event;
            q.StepStates[i] = (byte)(s.From | (s.To << 4));
        }

        AddressBytes local = LocalAddress, remote = RemoteAddress;
        bool wide = !IsNarrow(local) || !IsNarrow(remote);
        if (!wide)
        {
            q.Addresses = BinaryPrimitives.ReadUInt32LittleEndian(local) | ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(remote) << 32);
        }

        q.Path = (uint)pathLow;
        q.SocketError = socketError;
        q.ConnectReturn = connectReturn;
        q.OwnerPid = OwnerPid;
        q.Retransmits = Retransmits;
        q.OwnerComm = ownerComm;
        q.LocalPort = LocalPort;
        q.RemotePort = RemotePort;
        q.TimelineCount = timelineCount;
        q.PathCount = pathCount;
        q.ResetReceivedIn = resetReceivedIn;
        q.Flags = (byte)((OpenSeen ? QuietConnection.OpenSeenFlag : 0) | (Incomplete ? QuietConnection.IncompleteFlag : 0)
            | (StartLost ? QuietConnection.StartLostFlag : 0) | (EndLost ? QuietConnection.EndLostFlag : 0) | (wide ? QuietConnection.WideFlag : 0));
        q.Origin = (byte)Origin;
        q.Family = (byte)Family;
        q.OwnerSource = (byte)OwnerSource;
        q.State = (byte)State;
        return true;
    }

    /// <summary>The connection that <paramref name="q"/> was made from, field for field.</summary>
    /// <param name="wide">Its addresses, when they did not fit <see cref="QuietConnection.Addresses"/> (<see cref="QuietConnection.WideFlag"/>).</param>
    internal static Connection FromQuiet(uint netNs, ulong socket, in QuietConnection q, in (AddressBytes Local, AddressBytes Remote) wide)
    {
        var c = new Connection(netNs, socket, q.FirstSeenNs)
        {
            LastSeenNs = Time(q, q.LastSeen),
            connectStartNs = Time(q, q.ConnectStart),
            establishedNs = Time(q, q.Established),
            acceptedNs = Time(q, q.Accepted),
            endedNs = Time(q, q.Ended),
            pathLow = q.Path,
            socketError = q.SocketError,
            connectReturn = q.ConnectReturn,
            OwnerPid = q.OwnerPid,
            Retransmits = q.Retransmits,
            ownerComm = q.OwnerComm,
            LocalPort = q.LocalPort,
            RemotePort = q.RemotePort,
            timelineCount = q.TimelineCount,
            pathCount = q.PathCount,
            resetReceivedIn = q.ResetReceivedIn,
            OpenSeen = (q.Flags & QuietConnection.OpenSeenFlag) != 0,
            Incomplete = (q.Flags & QuietConnection.IncompleteFlag) != 0,
            StartLost = (q.Flags & QuietConnection.StartLostFlag) != 0,
            EndLost = (q.Flags & QuietConnection.EndLostFlag) != 0,
            Origin = (ConnectionOrigin)q.Origin,
            Family = (AddressFamilyKind)q.Family,
            OwnerSource = (OwnerSource)q.OwnerSource,
            State = (TcpState)q.State,
        };

        for (int i = 0; i < q.TimelineCount; i++)
        {
            byte states = q.StepStates[i];
            c.firstSteps[i] = new Step(q.FirstSeenNs + q.StepOffsets[i], q.StepValues[i], q.StepEvents[i], (byte)(states & 0xf), (byte)(states >> 4));
        }

        if ((q.Flags & QuietConnection.WideFlag) != 0)
        {
            c.LocalAddress = wide.Local;
            c.RemoteAddress = wide.Remote;
        }
        else
        {
            var local = default(AddressBytes);
            var remote = default(AddressBytes);
            BinaryPrimitives.WriteUInt32LittleEndian(local, (uint)q.Addresses);
            BinaryPrimitives.WriteUInt32LittleEndian(remote, (uint)(q.Addresses >> 32));
            c.LocalAddress = local;
            c.RemoteAddress = remote;
        }

        return c;
    }

    private static long Time(in QuietConnection q, int offset) => offset == QuietConnection.NoOffset ? NoTime : q.FirstSeenNs + offset;

    /// <summary>An address whose bytes after the first 4 are zero: IPv4 as the kernel's slot holds it.</summary>
    private static bool IsNarrow(in AddressBytes a) => ((ReadOnlySpan<byte>)a)[4..].IndexOfAnyExcept((byte)0) < 0;

    /// <summary><paramref name="ns"/> as an offset from <see cref="FirstSeenNs"/>, if it fits (a time without a value always does).</summary>
    private bool Offset(long ns, out int offset)
    {
        if (ns == NoTime)
        {
            offset = QuietConnection.NoOffset;
            return true;
        }

        long d = unchecked(ns - FirstSeenNs);
        offset = (int)d;
        bool overflow = ((ns ^ FirstSeenNs) & (ns ^ d)) < 0;
        return !overflow && d > int.MinValue && d <= int.MaxValue;
    }
}
