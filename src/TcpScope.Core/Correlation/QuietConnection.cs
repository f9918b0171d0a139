using System.Runtime.CompilerServices;
using TcpScope.Decode.Abi;

namespace TcpScope.Correlation;

/// <summary>
/// An open connection that saw no event for a whole batch, kept as a value without references
/// (the GC does not scan it): what its <see cref="Connection"/> holds without the object's
/// header, references and room for what a quiet connection does not have (its times as offsets from the first one seen, IPv4
/// addresses in 4 bytes). The table keeps these in <see cref="QuietConnections"/> and makes the
/// <see cref="Connection"/> again, the same to the last field, when its socket has an event or
/// someone asks for it.
/// </summary>
internal struct QuietConnection
{
    /// <summary>What a time offset holds for a time without a value.</summary>
    public const int NoOffset = int.MinValue;

    public const byte OpenSeenFlag = 1;
    public const byte IncompleteFlag = 2;
    public const byte StartLostFlag = 4;
    public const byte EndLostFlag = 8;

    /// <summary>An address does not fit 4 bytes (IPv6): both are kept beside, not in <see cref="Addresses"/>.</summary>
    public const byte WideFlag = 16;

    public long FirstSeenNs;

    /// <summary>IPv4-sized addresses: the local one in the low 32 bits, the remote one in the high ones (unless <see cref="WideFlag"/>).</summary>
    public ulong Addresses;

    /// <summary>The state path, 4 bits a state (at most 8).</summary>
    public uint Path;

    // ns after FirstSeenNs, or NoOffset
    public int LastSeen;
    public int ConnectStart;
    public int Established;
    public int Accepted;
    public int Ended;

    public int SocketError;
    public int ConnectReturn;
    public uint OwnerPid;
    public int Retransmits;

    public Four<int> StepOffsets;
    public Four<int> StepValues;
    public Four<byte> StepEvents;

    /// <summary>Each step's old state in the low 4 bits, its new one in the high 4.</summary>
    public Four<byte> StepStates;

    public Comm OwnerComm;
    public ushort LocalPort;
    public ushort RemotePort;
    public byte TimelineCount;
    public byte PathCount;
    public byte ResetReceivedIn;
    public byte Flags;
    public byte Origin;
    public byte Family;
    public byte OwnerSource;
    public byte State;

    public readonly long LastSeenNs => FirstSeenNs + LastSeen;

    [InlineArray(4)]
    public struct Four<T>
    {
        private T first;
    }
}
