namespace TcpScope.Recording;

/// <summary>
/// The one error a recording's reader throws: which file, at which byte, what is wrong, and how
/// much was read before it.
/// </summary>
public sealed class RecordingException(string path, long offset, RecordingProblem problem, string message, Exception? inner = null)
    : Exception($"{path}: {message}", inner)
{
    public string Path { get; } = path;

    /// <summary>The byte of the file where the problem was found (the start of the chunk it is in).</summary>
    public long Offset { get; } = offset;

    public RecordingProblem Problem { get; } = problem;
}
