using System.Globalization;
using TcpScope.Decode;
using TcpScope.Decode.Abi;

namespace TcpScope.Output;

/// <summary>", owner server[4711]", or nothing when the owner is not known; formatted where an interpolation puts it.</summary>
public readonly struct OwnerText : ISpanFormattable
{
    private readonly bool known;
    private readonly uint pid;
    private readonly Comm comm;

    public OwnerText(in PacketDrop e)
    {
        known = e.OwnerKnown;
        pid = e.OwnerPid;
        comm = e.OwnerComm;
    }

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        charsWritten = 0;
        if (!known)
        {
            return true;
        }

        if (destination.Length < 8 + 16 + 12)
        {
            return false;
        }

        var line = new CharLine(destination);
        line.Append(", owner ");
        line.AppendComm(comm);
        line.Append('[');
        line.AppendNumber((ulong)pid);
        line.Append(']');
        charsWritten = line.Length;
        return true;
    }

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public override string ToString() =>
        known ? $", owner {CommText.ToString(comm)}[{pid.ToString(CultureInfo.InvariantCulture)}]" : "";
}
