namespace TcpScope.Bpf;

/// <summary>libbpf is missing or too old to be used.</summary>
public sealed class LibbpfUnavailableException(string message) : Exception(message);
