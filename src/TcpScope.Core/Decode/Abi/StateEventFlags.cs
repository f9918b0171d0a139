namespace TcpScope.Decode.Abi;

/// <summary>TS_STATE_* flags of struct ts_state_event (bpf/tcpscope.h).</summary>
[Flags]
public enum StateEventFlags : uint
{
    None = 0,
    DeltaKnown = 1 << 0,
    OwnerKnown = 1 << 1,
    OwnerFromListener = 1 << 2,

    /// <summary>A record of this socket before this one was lost (the ring was full).</summary>
    AfterLoss = 1 << 3,
}
