using TcpScope.Decode;

namespace TcpScope.Records;

/// <summary>A socket of a lab namespace's table.</summary>
public sealed record LabSocketRecord(TcpState State, string Local, string Remote, uint SendQ, uint RecvQ);
