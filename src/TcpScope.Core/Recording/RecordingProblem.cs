namespace TcpScope.Recording;

/// <summary>Why a file could not be read as a recording.</summary>
public enum RecordingProblem
{
    /// <summary>The file does not start with the recording magic (or is empty).</summary>
    NotARecording,

    /// <summary>Written in a newer format version (or ring record ABI) than this TcpScope reads.</summary>
    NewerVersion,

    /// <summary>The file ends before its trailer: cut off, or the writer did not end cleanly.</summary>
    Truncated,

    /// <summary>A chunk's checksum, compression or contents are wrong.</summary>
    Corrupted,

    /// <summary>Reading the file failed (an I/O error of the disk or the file system), whatever its contents.</summary>
    Unreadable,
}
