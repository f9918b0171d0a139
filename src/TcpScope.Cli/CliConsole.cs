using System.Text;
using TcpScope.Host;

namespace TcpScope.Cli;

/// <summary>Where a verb writes: text writers for messages, and the raw stdout stream for bulk event output.</summary>
public sealed class CliConsole(TextWriter output, TextWriter error, Func<Stream>? openStandardOutput = null)
{
    private readonly Lazy<Stream> stdout = new(() => openStandardOutput?.Invoke() ?? Console.OpenStandardOutput());

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>True when whoever read stdout is gone (`| head` exited): a trace has nobody to write for.</summary>
    public Func<bool> OutputClosed { get; init; } = static () => false;

    /// <summary>The width of the terminal stdout goes to; null when it goes elsewhere (help is not wrapped then).</summary>
    public int? Columns { get; init; }

    /// <summary>True when stderr is a terminal, where a status line helps and is not in anyone's log.</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>The stream event lines go to (stdout unless a test redirects it); one stream, shared with <see cref="Out"/>.</summary>
    public Stream OpenOutputStream() => stdout.Value;

    /// <summary>
    /// The process's own stdout and stderr, written through file descriptors 1 and 2 without
    /// System.Console: on a terminal the console's first write sends the keypad transmit mode
    /// (ESC[?1h ESC=) and nothing resets it, and on a closed pipe it swallows EPIPE.
    /// </summary>
    public static CliConsole ForProcess()
    {
        var stdout = new DescriptorStream(FileDescriptors.StandardOutput);
        var stderr = new DescriptorStream(FileDescriptors.StandardError);
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        return new CliConsole(
            new StreamWriter(stdout, utf8) { AutoFlush = true },
            new StreamWriter(stderr, utf8) { AutoFlush = true },
            () => stdout)
        {
            OutputClosed = () => stdout.Broken || FileDescriptors.ReaderGone(FileDescriptors.StandardOutput),
            ErrorIsTerminal = FileDescriptors.IsTerminal(FileDescriptors.StandardError),
            Columns = FileDescriptors.TerminalColumns(FileDescriptors.StandardOutput),
        };
    }

    /// <summary>
    /// Writes straight to a file descriptor with write(2). When its reader is gone (EPIPE:
    /// .NET ignores SIGPIPE) the rest is dropped and <see cref="Broken"/> says so, for the
    /// verb to stop; other errors (a full disk) are errors.
    /// </summary>
    private sealed class DescriptorStream(int fd) : Stream
    {
        public bool Broken { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (Broken || buffer.IsEmpty)
            {
                return;
            }

            int errno = FileDescriptors.Write(fd, buffer);
            if (FileDescriptors.IsBrokenPipe(errno))
            {
                Broken = true;
            }
            else if (errno != 0)
            {
                throw new IOException($"writing to file descriptor {fd} failed (errno {errno})", errno);
            }
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
