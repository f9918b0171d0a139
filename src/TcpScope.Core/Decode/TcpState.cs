namespace TcpScope.Decode;

/// <summary>
/// TCP states with the names the kernel gives them (include/net/tcp_states.h). Kernel
/// numbers are mapped onto these by name from the running kernel's BTF (<see cref="KernelEnums"/>).
/// </summary>
public enum TcpState : byte
{
    Unknown = 0,
    ESTABLISHED = 1,
    SYN_SENT = 2,
    SYN_RECV = 3,
    FIN_WAIT1 = 4,
    FIN_WAIT2 = 5,
    TIME_WAIT = 6,
    CLOSE = 7,
    CLOSE_WAIT = 8,
    LAST_ACK = 9,
    LISTEN = 10,
    CLOSING = 11,
    NEW_SYN_RECV = 12,
    BOUND_INACTIVE = 13,
}
