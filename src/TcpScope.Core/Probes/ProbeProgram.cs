namespace TcpScope.Probes;

/// <summary>One program of a family's BPF object.</summary>
/// <param name="Name">The function name in the .bpf.c.</param>
/// <param name="Gives">What a verb loses without it, for the user ("SYN retransmits").</param>
/// <param name="Hook">
/// A hook that only one program of a probe set may handle, because the program keeps the shared
/// bookkeeping on it (<see cref="ProbeFamily.StateHook"/>); null for programs that any number of
/// families may attach.
/// </param>
/// <param name="AttachTarget">Where a BTF-typed program attaches instead of its section's (tests use a bogus one).</param>
/// <param name="Lacks">What a fallback does not give that the program it stands in for does; null when nothing.</param>
public sealed record ProbeProgram(string Name, string Gives, string? Hook = null, string? AttachTarget = null, string? Lacks = null);
