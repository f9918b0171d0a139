namespace TcpScope.Decode.Abi;

/// <summary>enum ts_event_kind (bpf/tcpscope.h).</summary>
public enum EventKind : ushort
{
    State = 1,
}
