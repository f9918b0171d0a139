namespace TcpScope.Bpf;

/// <summary>A global variable in a data section (.rodata, .bss) of an object's BTF.</summary>
public sealed record BtfVariable(string Name, uint Offset, uint Size);
