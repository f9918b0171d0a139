using TcpScope.Decode;

namespace TcpScope.Sources;

/// <summary>
/// What a source delivered: events decoded, events lost before reaching us (the ring was
/// full), and what the kernel side could not follow because one of its tables was full.
/// <see cref="LossNotices"/> are records the programs added after a loss (a socket whose CLOSE
/// record was lost is said to be gone when it is destroyed): events + lost = the traffic's
/// records + these. <see cref="StartNs"/> and <see cref="EndNs"/> are the source's clock
/// (CLOCK_MONOTONIC live, the recording's when replayed) when it began and at its last idle:
/// the session's "now" at the end and the run's length come from them, not from this host.
/// </summary>
public readonly record struct SourceStats(
    long Events,
    ulong Lost,
    long Malformed,
    ulong SocketsNotFollowed = 0,
    ulong ListenersNotFollowed = 0,
    ulong AttemptsNotFollowed = 0,
    ulong LossNotices = 0,
    long StartNs = 0,
    long EndNs = 0) : IShortfalls
{
    public IEnumerable<Shortfall> Shortfalls =>
    [
        new("sockets_not_followed", (long)SocketsNotFollowed, "sockets not followed: the kernel's socket table was full (raise it with --max-sockets)"),
        new("listeners_not_followed", (long)ListenersNotFollowed, "listeners not followed: the kernel's listener table was full (their children's owner is unknown until accept())"),
        new("failed_connects_not_followed", (long)AttemptsNotFollowed, "failed connects not followed to their error: the kernel's table of failed attempts was full (raise it with --max-sockets)"),
    ];
}
