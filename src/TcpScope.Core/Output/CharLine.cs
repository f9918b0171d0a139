using System.Globalization;
using TcpScope.Decode;
using TcpScope.Decode.Abi;

namespace TcpScope.Output;

/// <summary>
/// Builds one text line into a caller's char buffer, columns padded as composite formatting's
/// "{0,-n}" and "{0,n}" pad them, without making strings: the `life` and `connect` lines, written
/// once per connection.
/// </summary>
public ref struct CharLine(Span<char> buffer)
{
    private readonly Span<char> buffer = buffer;

    public int Length { get; private set; }

    /// <summary>The line without trailing spaces (as the format's TrimEnd left it).</summary>
    public readonly ReadOnlySpan<char> Trimmed => buffer[..Length].TrimEnd(' ');

    /// <summary>The free part of the buffer, for a TryFormat; then <see cref="Advance"/> by what it wrote.</summary>
    public readonly Span<char> Rest => buffer[Length..];

    public void Advance(int written) => Length += written;

    public void Append(char c) => buffer[Length++] = c;

    public void Append(ReadOnlySpan<char> text)
    {
        text.CopyTo(buffer[Length..]);
        Length += text.Length;
    }

    /// <summary>Pads with spaces what was appended since <paramref name="start"/> to <paramref name="width"/> (left-aligned).</summary>
    public void PadFrom(int start, int width)
    {
        int n = width - (Length - start);
        if (n > 0)
        {
            buffer.Slice(Length, n).Fill(' ');
            Length += n;
        }
    }

    /// <summary>Right-aligns what was appended since <paramref name="start"/> in <paramref name="width"/>.</summary>
    public void AlignRightFrom(int start, int width)
    {
        int written = Length - start;
        int n = width - written;
        if (n > 0)
        {
            buffer.Slice(start, written).CopyTo(buffer[(start + n)..]);
            buffer.Slice(start, n).Fill(' ');
            Length += n;
        }
    }

    public void AppendPadded(ReadOnlySpan<char> text, int width)
    {
        int start = Length;
        Append(text);
        PadFrom(start, width);
    }

    public void AppendNumber(long value)
    {
        value.TryFormat(buffer[Length..], out int n, default, CultureInfo.InvariantCulture);
        Length += n;
    }

    public void AppendNumber(ulong value)
    {
        value.TryFormat(buffer[Length..], out int n, default, CultureInfo.InvariantCulture);
        Length += n;
    }

    /// <summary>A double in a .NET custom format ("0.000"), as ToString(format, InvariantCulture) writes it.</summary>
    public void AppendDouble(double value, scoped ReadOnlySpan<char> format)
    {
        value.TryFormat(buffer[Length..], out int n, format, CultureInfo.InvariantCulture);
        Length += n;
    }

    /// <summary>
    /// <paramref name="value"/> / 10^<paramref name="unitDigits"/> with <paramref name="decimals"/>
    /// decimals, as (value / 10^unitDigits).ToString("0.000"-like format) writes it, from integers:
    /// that format rounds the double's 15 significant digits half away from zero, and below 10^15
    /// those digits are the integer's own, so the result is the same for every such value.
    /// </summary>
    public void AppendScaled(long value, int unitDigits, int decimals)
    {
        const long Exact = 1_000_000_000_000_000; // 10^15: the digits a custom format keeps
        if (value < 0 || value >= Exact || decimals > unitDigits)
        {
            // negative (a clock that went back) or beyond 11 days in ns: the double's own formatting
            Span<char> format = stackalloc char[2 + decimals];
            format[0] = '0';
            format[1] = '.';
            format[2..].Fill('0');
            AppendDouble(value / Math.Pow(10, unitDigits), decimals == 0 ? "0" : format);
            return;
        }

        long dropped = Pow10(unitDigits - decimals);
        long rounded = (value + (dropped / 2)) / dropped;
        long scale = Pow10(decimals);
        AppendNumber(rounded / scale);
        if (decimals == 0)
        {
            return;
        }

        Append('.');
        long fraction = rounded % scale;
        for (long d = scale / 10; d > 0; d /= 10)
        {
            Append((char)('0' + (fraction / d % 10)));
        }
    }

    /// <summary>"198.18.0.2:8080" or "[fd00::2]:8080", as <see cref="AddressText.Endpoint"/>.</summary>
    public void AppendEndpoint(AddressFamilyKind family, in AddressBytes address, ushort port)
    {
        bool v6 = family == AddressFamilyKind.IPv6;
        if (v6)
        {
            Append('[');
        }

        Length += AddressText.Format(buffer[Length..], family, address);
        if (v6)
        {
            Append(']');
        }

        Append(':');
        AppendNumber((ulong)port);
    }

    private static long Pow10(int n)
    {
        long p = 1;
        for (int i = 0; i < n; i++)
        {
            p *= 10;
        }

        return p;
    }

    /// <summary>A task name as <see cref="CommText.ToString"/> writes it.</summary>
    public void AppendComm(in Comm comm) => Length += CommText.Format(buffer[Length..], comm);
}
