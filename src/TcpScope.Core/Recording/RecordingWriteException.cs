namespace TcpScope.Recording;

/// <summary>
/// A recording could not be written (a full disk, a file that takes no writes): found at the
/// write that failed; what was written before it stays readable up to there.
/// </summary>
public sealed class RecordingWriteException(string path, string reason, Exception inner)
    : Exception($"cannot write the recording {path}: {reason}", inner)
{
    public string Path { get; } = path;
}
