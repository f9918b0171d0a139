using System.Runtime.InteropServices;
using TcpScope.Bpf;
using TcpScope.Decode.Abi;

namespace TcpScope.Decode;

/// <summary>Turns ring-buffer records into decoded events for a sink, without allocating.</summary>
public sealed class RecordDecoder(IEventSink sink, KernelEnums enums) : IRecordHandler
{
    /// <summary>Records decoded into events.</summary>
    public long Events { get; private set; }

    /// <summary>Records of an unknown kind or a wrong size (a mismatched object), skipped.</summary>
    public long Malformed { get; private set; }

    public void OnRecord(ReadOnlySpan<byte> record)
    {
        if (record.Length < EventHeader.Size)
        {
            Malformed++;
            return;
        }

        ref readonly EventHeader h = ref MemoryMarshal.AsRef<EventHeader>(record);
        switch ((EventKind)h.Kind)
        {
            case EventKind.State when record.Length >= StateEvent.Size:
                StateChange e = Decode(in MemoryMarshal.AsRef<StateEvent>(record));
                Events++;
                sink.OnStateChange(in e);
                break;
            case (>= EventKind.Retransmit and <= EventKind.ConnectReturn) or EventKind.Gone when record.Length >= SockEvent.Size:
                SocketEvent se = Decode(in MemoryMarshal.AsRef<SockEvent>(record));
                Events++;
                sink.OnSocketEvent(in se);
                break;
            case EventKind.Totals when record.Length >= TotalsEvent.Size:
                SocketTotals t = Decode(in MemoryMarshal.AsRef<TotalsEvent>(record));
                Events++;
                sink.OnTotals(in t);
                break;
            case EventKind.IcmpError when record.Length >= IcmpEvent.Size:
                IcmpError ie = Decode(in MemoryMarshal.AsRef<IcmpEvent>(record));
                Events++;
                sink.OnIcmpError(in ie);
                break;
            case EventKind.Stack when record.Length >= StackEvent.Size:
                ref readonly StackEvent st = ref MemoryMarshal.AsRef<StackEvent>(record);
                ReadOnlySpan<ulong> ips = st.Ips;
                Events++;
                sink.OnStack(new StackSample((long)st.Header.TimestampNs, st.Header.NetNs, st.SkAddr, st.Header.Pid, st.Where, ips[..(int)Math.Min(st.Frames, (uint)StackEvent.Depth)]));
                break;
            case EventKind.Drop or EventKind.DropReset when record.Length >= DropEvent.Size:
                PacketDrop d = Decode(in MemoryMarshal.AsRef<DropEvent>(record));
                Events++;
                sink.OnDrop(in d);
                break;
            default:
                Malformed++;
                break;
        }
    }

    public StateChange Decode(in StateEvent r) => new(
        TimestampNs: (long)r.Header.TimestampNs,
        NetNs: r.Header.NetNs,
        Socket: r.SkAddr,
        TaskPid: r.Header.Pid,
        TaskComm: r.Header.Comm,
        OwnerPid: r.OwnerPid,
        OwnerComm: r.OwnerComm,
        Flags: r.Flags,
        Family: (AddressFamilyKind)r.Family,
        LocalAddress: r.SAddr,
        LocalPort: r.SPort,
        RemoteAddress: r.DAddr,
        RemotePort: r.DPort,
        OldState: enums.TcpState(r.OldState),
        NewState: enums.TcpState(r.NewState),
        DeltaNs: (long)r.DeltaNs);

    public SocketEvent Decode(in SockEvent r) => new(
        Kind: (EventKind)r.Header.Kind switch
        {
            EventKind.Retransmit => SocketEventKind.Retransmit,
            EventKind.ResetReceived => SocketEventKind.ResetReceived,
            EventKind.ResetSent => SocketEventKind.ResetSent,
            EventKind.SocketError => SocketEventKind.SocketError,
            EventKind.Accept => SocketEventKind.Accept,
            EventKind.ConnectReturn => SocketEventKind.ConnectReturn,
            _ => SocketEventKind.Gone,
        },
        TimestampNs: (long)r.Header.TimestampNs,
        NetNs: r.Header.NetNs,
        Socket: r.SkAddr,
        TaskPid: r.Header.Pid,
        TaskComm: r.Header.Comm,
        Family: (AddressFamilyKind)r.Family,
        LocalAddress: r.SAddr,
        LocalPort: r.SPort,
        RemoteAddress: r.DAddr,
        RemotePort: r.DPort,
        State: enums.TcpState(r.State),
        Value: r.Value,
        Aux: r.Aux,
        AfterLoss: (r.Flags & SockEventFlags.AfterLoss) != 0);

    public static SocketTotals Decode(in TotalsEvent r) => new(
        TimestampNs: (long)r.Header.TimestampNs,
        NetNs: r.Header.NetNs,
        Socket: r.SkAddr,
        BytesAcked: r.BytesAcked,
        BytesReceived: r.BytesReceived,
        SegmentsOut: r.SegsOut,
        SegmentsIn: r.SegsIn,
        Retransmits: r.TotalRetrans,
        SmoothedRttUs: r.SrttUs,
        Flags: r.Flags,
        BytesSent: r.BytesSent,
        BytesRetransmitted: r.BytesRetrans);

    public PacketDrop Decode(in DropEvent r)
    {
        bool reset = (EventKind)r.Header.Kind == EventKind.DropReset;
        return new PacketDrop(
            Kind: reset ? DropKind.Reset : DropKind.Drop,
            TimestampNs: (long)r.Header.TimestampNs,
            NetNs: r.Header.NetNs,
            TaskPid: r.Header.Pid,
            TaskComm: r.Header.Comm,
            ReasonNumber: r.Reason,
            Reason: reset ? enums.ResetReason(r.Reason) : enums.DropReason(r.Reason),
            Location: r.Location,
            Flags: r.Flags,
            Socket: r.SkAddr,
            State: (r.Flags & DropEventFlags.Socket) != 0 ? enums.TcpState(r.State) : TcpState.Unknown,
            Family: (AddressFamilyKind)r.Family,
            SourceAddress: r.SAddr,
            SourcePort: r.SPort,
            DestinationAddress: r.DAddr,
            DestinationPort: r.DPort,
            TcpFlags: r.TcpFlags,
            Seq: r.Seq,
            Ack: r.Ack,
            TsVal: r.TsVal,
            TsEcr: r.TsEcr,
            Payload: r.Payload,
            OwnerPid: r.OwnerPid,
            OwnerComm: r.OwnerComm,
            AckBacklog: r.AckBacklog,
            MaxAckBacklog: r.MaxAckBacklog,
            SynQueueLength: r.SynQueueLength,
            TwSubstate: (r.Flags & DropEventFlags.TimeWait) != 0 ? enums.TcpState(r.TwSubstate) : TcpState.Unknown,
            TwRcvNxt: r.TwRcvNxt,
            TwSndNxt: r.TwSndNxt,
            TwTsRecent: r.TwTsRecent,
            TwTsRecentStamp: r.TwTsRecentStamp);
    }

    public IcmpError Decode(in IcmpEvent r) => new(
        TimestampNs: (long)r.Header.TimestampNs,
        NetNs: r.Header.NetNs,
        Socket: r.SkAddr,
        State: enums.TcpState(r.State),
        Family: (AddressFamilyKind)r.Family,
        Offender: r.Offender,
        Type: r.Type,
        Code: r.Code,
        Error: r.Error,
        Info: r.Info);
}
