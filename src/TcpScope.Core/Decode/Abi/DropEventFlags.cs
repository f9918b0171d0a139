namespace TcpScope.Decode.Abi;

/// <summary>TS_DROP_* flags of struct ts_drop_event (bpf/tcpscope.h): which of its parts are known.</summary>
[Flags]
public enum DropEventFlags : uint
{
    None = 0,
    Socket = 1u << 0,
    Packet = 1u << 1,
    Timestamp = 1u << 2,
    OwnerKnown = 1u << 3,
    OwnerFromListener = 1u << 4,
    Listener = 1u << 5,
    TimeWait = 1u << 6,
    NoReason = 1u << 7,
    NoReceivingSocket = 1u << 8,
}
