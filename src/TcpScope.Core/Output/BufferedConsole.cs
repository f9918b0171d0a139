using System.Text;

namespace TcpScope.Output;

/// <summary>
/// Standard output without Console's per-write flush: 64 KiB buffered, flushed when the
/// caller says (after each drained batch) so live output stays prompt and cheap.
/// </summary>
public static class BufferedConsole
{
    public const int BufferSize = 1 << 16;

    public static TextWriter CreateTextWriter(Stream? stream = null) =>
        new StreamWriter(stream ?? Console.OpenStandardOutput(), new UTF8Encoding(false), BufferSize) { AutoFlush = false };
}
