using TcpScope.Decode;

namespace TcpScope.Correlation;

/// <summary>
/// One step of a connection's life: a state change (<see cref="Event"/> null, <see cref="From"/> ->
/// <see cref="To"/>), or an event in state <see cref="To"/> with its value (errno, reset reason,
/// fd, connect() return).
/// </summary>
public readonly record struct TimelineEntry(long TimestampNs, SocketEventKind? Event, TcpState From, TcpState To, int Value);
