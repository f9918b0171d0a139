namespace TcpScope.Decode.Abi;

/// <summary>TS_SOCK_* flags of struct ts_sock_event (bpf/tcpscope.h).</summary>
[Flags]
public enum SockEventFlags : byte
{
    None = 0,
    AfterLoss = 1 << 0,
}
