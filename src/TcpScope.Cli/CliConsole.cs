namespace TcpScope.Cli;

/// <summary>Where a verb writes: text writers for messages, and the raw stdout stream for bulk event output.</summary>
public sealed class CliConsole(TextWriter output, TextWriter error, Func<Stream>? openStandardOutput = null)
{
    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>The stream event lines go to (stdout unless a test redirects it).</summary>
    public Stream OpenOutputStream() => openStandardOutput?.Invoke() ?? Console.OpenStandardOutput();
}
