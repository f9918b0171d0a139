namespace TcpScope.Decode.Abi;

/// <summary>TS_TOTALS_* flags of struct ts_totals_event (bpf/tcpscope.h).</summary>
[System.Flags]
public enum TotalsFlags : uint
{
    None = 0,
    FinReceived = 1 << 0,
    FinAcked = 1 << 1,

    /// <summary>A record of this socket before this one was lost (the ring was full).</summary>
    AfterLoss = 1 << 2,
}
