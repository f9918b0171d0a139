using System.Runtime.CompilerServices;

namespace TcpScope.Decode.Abi;

/// <summary>char comm[TS_COMM_LEN]: a task name, NUL-terminated unless it fills all 16 bytes.</summary>
[InlineArray(16)]
public struct Comm
{
    private byte first;
}
