using TcpScope.Decode;
using TcpScope.Decode.Abi;

namespace TcpScope.Output;

/// <summary>
/// Builds one line of ASCII text straight into bytes: no chars to transcode, no allocation.
/// Used for the per-event table lines, the hottest output path.
/// </summary>
public ref struct AsciiLine(Span<byte> buffer)
{
    private readonly Span<byte> buffer = buffer;

    public int Length { get; private set; }

    public readonly ReadOnlySpan<byte> Written => buffer[..Length];

    public void Append(ReadOnlySpan<byte> text)
    {
        text.CopyTo(buffer[Length..]);
        Length += text.Length;
    }

    public void Append(byte c) => buffer[Length++] = c;

    /// <summary>Appends then pads with spaces to <paramref name="width"/> (never cuts).</summary>
    public void AppendPadded(ReadOnlySpan<byte> text, int width)
    {
        int start = Length;
        Append(text);
        Pad(start, width);
    }

    public void AppendPadded(string ascii, int width)
    {
        int start = Length;
        foreach (char c in ascii)
        {
            buffer[Length++] = (byte)c;
        }

        Pad(start, width);
    }

    public void AppendNumber(ulong value, int width = 0)
    {
        int start = Length;
        int digits = 1;
        for (ulong v = value / 10; v != 0; v /= 10)
        {
            digits++;
        }

        Span<byte> d = buffer.Slice(Length, digits);
        for (int i = digits - 1; i >= 0; i--)
        {
            d[i] = (byte)('0' + (value % 10));
            value /= 10;
        }

        Length += digits;
        Pad(start, width);
    }

    /// <summary>16 lower-case hex digits, zero-padded (a kernel address).</summary>
    public void AppendHex16(ulong value)
    {
        Span<byte> d = buffer.Slice(Length, 16);
        for (int i = 15; i >= 0; i--)
        {
            d[i] = "0123456789abcdef"u8[(int)(value & 0xf)];
            value >>= 4;
        }

        Length += 16;
    }

    /// <summary>Nanoseconds as milliseconds with three decimals, rounded ("0.243").</summary>
    public void AppendMilliseconds(long ns)
    {
        long us = (ns + 500) / 1000;
        AppendNumber((ulong)(us / 1000));
        Append((byte)'.');
        long frac = us % 1000;
        buffer[Length++] = (byte)('0' + (frac / 100));
        buffer[Length++] = (byte)('0' + (frac / 10 % 10));
        buffer[Length++] = (byte)('0' + (frac % 10));
    }

    public void AppendAddress(AddressFamilyKind family, in AddressBytes address, int width)
    {
        int start = Length;
        ReadOnlySpan<byte> b = address;
        if (family == AddressFamilyKind.IPv4)
        {
            for (int i = 0; i < 4; i++)
            {
                if (i > 0)
                {
                    buffer[Length++] = (byte)'.';
                }

                AppendNumber(b[i]);
            }
        }
        else
        {
            Span<char> text = stackalloc char[AddressText.MaxLength];
            int n = AddressText.Format(text, family, address);
            foreach (char c in text[..n])
            {
                buffer[Length++] = (byte)c;
            }
        }

        Pad(start, width);
    }

    /// <summary>A task name cut to <paramref name="max"/> bytes, non-printable bytes as '?'.</summary>
    public void AppendComm(in Comm comm, int max, int width)
    {
        int start = Length;
        ReadOnlySpan<byte> b = CommText.Bytes(comm);
        foreach (byte c in b[..Math.Min(b.Length, max)])
        {
            buffer[Length++] = c is >= 0x20 and < 0x7f ? c : (byte)'?';
        }

        Pad(start, width);
    }

    private void Pad(int start, int width)
    {
        int n = width - (Length - start);
        if (n > 0)
        {
            buffer.Slice(Length, n).Fill((byte)' ');
            Length += n;
        }
    }
}
