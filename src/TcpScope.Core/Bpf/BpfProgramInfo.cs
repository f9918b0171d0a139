namespace TcpScope.Bpf;

/// <summary>A program in an object: its function name and its ELF section (which says how it attaches).</summary>
public sealed record BpfProgramInfo(string Name, string Section);
