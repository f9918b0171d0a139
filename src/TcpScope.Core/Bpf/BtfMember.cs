namespace TcpScope.Bpf;

/// <summary>A struct member as BTF describes it: byte offset and size (bitfields excluded).</summary>
public sealed record BtfMember(string Name, uint Offset, uint Size);
