using TcpScope.Decode.Abi;

namespace TcpScope.Decode;

/// <summary>
/// A decoded event about one socket other than a state change. <see cref="TaskPid"/> is the task
/// on the CPU: the owner for <see cref="SocketEventKind.Accept"/> and
/// <see cref="SocketEventKind.ConnectReturn"/> (syscalls), anyone for the rest (softirq).
/// </summary>
public readonly record struct SocketEvent(
    SocketEventKind Kind,
    long TimestampNs,
    uint NetNs,
    ulong Socket,
    uint TaskPid,
    Comm TaskComm,
    AddressFamilyKind Family,
    AddressBytes LocalAddress,
    ushort LocalPort,
    AddressBytes RemoteAddress,
    ushort RemotePort,
    TcpState State,
    int Value,
    uint Aux,
    bool AfterLoss = false);
