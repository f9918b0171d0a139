namespace TcpScope.Decode.Abi;

/// <summary>enum ts_event_kind (bpf/tcpscope.h).</summary>
public enum EventKind : ushort
{
    State = 1,
    Retransmit = 2,
    ResetReceived = 3,
    ResetSent = 4,
    SocketError = 5,
    Accept = 6,
    ConnectReturn = 7,
    Totals = 8,
    Stack = 9,
    IcmpError = 10,
    Gone = 11,
    Drop = 12,
    DropReset = 13,
}
