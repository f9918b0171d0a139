namespace TcpScope.Host;

public enum ProbeStatus
{
    /// <summary>Loaded and attached.</summary>
    Works,

    /// <summary>This kernel or configuration does not offer what the program needs (not a bug).</summary>
    NotSupported,

    /// <summary>Something that should work did not (permissions, a verifier rejection).</summary>
    Failed,
}
