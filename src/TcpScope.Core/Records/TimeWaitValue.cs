using TcpScope.Decode;

namespace TcpScope.Records;

/// <summary>A TIME_WAIT (or FIN_WAIT2) mini-socket's numbers at the moment of a drop, beside the segment's own seq and tsval.</summary>
/// <param name="TsRecentStamp">When ts_recent was taken, in the kernel's seconds since boot.</param>
public sealed record TimeWaitValue(TcpState Substate, uint RcvNxt, uint SndNxt, uint TsRecent, int TsRecentStamp)
{
    public static TimeWaitValue? Of(in PacketDrop e) =>
        e.HasTimeWait ? new(e.TwSubstate, e.TwRcvNxt, e.TwSndNxt, e.TwTsRecent, e.TwTsRecentStamp) : null;
}
