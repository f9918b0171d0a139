namespace TcpScope.Lab;

/// <summary>Knobs of a scenario run; a scenario uses those that apply to it and ignores the rest.</summary>
public sealed record LabOptions
{
    /// <summary>Which variant of the scenario (empty: its first).</summary>
    public string Variant { get; init; } = "";

    /// <summary>The clients' own connect timeout (like `nc -w`).</summary>
    public TimeSpan? Timeout { get; init; }

    public int? Clients { get; init; }

    public int? Backlog { get; init; }

    /// <summary>net.ipv4.tcp_syn_retries in the client namespace.</summary>
    public int? SynRetries { get; init; }

    /// <summary>net.ipv4.tcp_abort_on_overflow in the server namespace.</summary>
    public bool AbortOnOverflow { get; init; }

    /// <summary>net.ipv4.tcp_syncookies in the server namespace.</summary>
    public int? Syncookies { get; init; }

    /// <summary>Keeps every run bounded whatever the knobs say.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(120);
}
