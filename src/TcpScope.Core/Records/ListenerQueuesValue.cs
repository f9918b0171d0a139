namespace TcpScope.Records;

/// <summary>A listener's queues at the moment of a drop: accept queue length and limit, SYN queue length.</summary>
public sealed record ListenerQueuesValue(uint AcceptQueue, uint AcceptLimit, uint SynQueue);
