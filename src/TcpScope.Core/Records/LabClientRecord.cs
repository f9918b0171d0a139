using TcpScope.Lab;

namespace TcpScope.Records;

/// <summary>One lab client: how its attempt ended as the application saw it, after how long, from which port.</summary>
public sealed record LabClientRecord(int Client, OutcomeKind Outcome, double Seconds, int LocalPort, string Comm, string? Error);
