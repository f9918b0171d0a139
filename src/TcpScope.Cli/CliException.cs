namespace TcpScope.Cli;

/// <summary>The one way a verb reports an error to the user: a message and an exit code, no stack trace.</summary>
public sealed class CliException(string message, int exitCode, string? details = null) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    /// <summary>More text (a full verifier log) shown with --verbose.</summary>
    public string? Details { get; } = details;
}
