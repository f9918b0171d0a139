using TcpScope.Decode;
using TcpScope.Decode.Abi;

namespace TcpScope.Output;

/// <summary>"198.18.0.2:8080" or "[fd00::2]:8080", formatted where an interpolation puts it (no string made).</summary>
public readonly struct EndpointText(AddressFamilyKind family, AddressBytes address, ushort port) : ISpanFormattable
{
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        charsWritten = 0;
        if (destination.Length < AddressText.MaxLength + 8)
        {
            return false;
        }

        var line = new CharLine(destination);
        line.AppendEndpoint(family, address, port);
        charsWritten = line.Length;
        return true;
    }

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public override string ToString() => AddressText.Endpoint(family, address, port);
}
