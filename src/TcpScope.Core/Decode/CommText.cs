using TcpScope.Decode.Abi;

namespace TcpScope.Decode;

/// <summary>Task names (comm) as text; bytes that are not printable ASCII show as '?'.</summary>
public static class CommText
{
    public static int Format(Span<char> dest, in Comm comm)
    {
        ReadOnlySpan<byte> b = comm;
        int n = 0;
        foreach (byte c in b)
        {
            if (c == 0)
            {
                break;
            }

            dest[n++] = c is >= 0x20 and < 0x7f ? (char)c : '?';
        }

        return n;
    }

    /// <summary>The bytes up to the terminating NUL.</summary>
    public static ReadOnlySpan<byte> Bytes(in Comm comm)
    {
        ReadOnlySpan<byte> b = comm;
        int end = b.IndexOf((byte)0);
        return end < 0 ? b : b[..end];
    }

    public static string ToString(in Comm comm)
    {
        Span<char> buf = stackalloc char[16];
        return new string(buf[..Format(buf, comm)]);
    }

    /// <summary>A Comm holding <paramref name="name"/> (cut to 15 bytes), for tests and replays.</summary>
    public static Comm From(string name)
    {
        var c = default(Comm);
        Span<byte> b = c;
        for (int i = 0; i < Math.Min(name.Length, 15); i++)
        {
            b[i] = (byte)name[i];
        }

        return c;
    }
}
