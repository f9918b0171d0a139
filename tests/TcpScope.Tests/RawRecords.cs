using System.Buffers.Binary;
using System.Text;
using TcpScope.Decode.Abi;

namespace TcpScope.Tests;

/// <summary>Ring records written field by field at the offsets of bpf/tcpscope.h, as the kernel fills them.</summary>
internal static class RawRecords
{
    public static byte[] State(long tsNs, byte oldState, byte newState, ulong socket = 0xffff888102e08940)
    {
        var r = new byte[StateEvent.Size];
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(0), 1);          // kind = TS_EVENT_STATE
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(2), 120);        // size
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(4), 4026532177); // netns
        BinaryPrimitives.WriteUInt64LittleEndian(r.AsSpan(8), (ulong)tsNs);
        BinaryPrimitives.WriteUInt32LittleEndian(r.AsSpan(16), 3728);      // pid
        Encoding.ASCII.GetBytes("curl").CopyTo(r, 24);                   // comm
        BinaryPrimitives.WriteUInt64LittleEndian(r.AsSpan(40), socket);
        new byte[] { 198, 18, 0, 1 }.CopyTo(r, 56);                        // saddr
        new byte[] { 198, 18, 0, 2 }.CopyTo(r, 72);                        // daddr
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(88), 2);         // AF_INET
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(90), 36876);     // sport
        BinaryPrimitives.WriteUInt16LittleEndian(r.AsSpan(92), 80);        // dport
        r[94] = oldState;
        r[95] = newState;
        return r;
    }
}
