namespace TcpScope.Correlation;

/// <summary>How a connection began, as far as the trace saw it.</summary>
public enum ConnectionOrigin : byte
{
    /// <summary>Already open when the trace started.</summary>
    Unknown,

    /// <summary>connect(): CLOSE -> SYN_SENT.</summary>
    Active,

    /// <summary>Accepted from a listener: LISTEN -> SYN_RECV on the child.</summary>
    Passive,
}
