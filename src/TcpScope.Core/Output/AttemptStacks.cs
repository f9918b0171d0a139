namespace TcpScope.Output;

/// <summary>A connect attempt's stacks as text, innermost frame first; null where none was taken.</summary>
public sealed record AttemptStacks(IReadOnlyList<string>? Kernel, IReadOnlyList<string>? User, string? UserNote);
