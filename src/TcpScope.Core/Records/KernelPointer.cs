namespace TcpScope.Records;

/// <summary>A kernel address (the socket's, as tcpstates shows it); in JSON "0xffff888102e08940".</summary>
public readonly record struct KernelPointer(ulong Value)
{
    public const int TextLength = 18;

    public int Format(Span<char> dest)
    {
        "0x".CopyTo(dest);
        Value.TryFormat(dest[2..], out int n, "x16");
        return 2 + n;
    }

    public override string ToString() => $"0x{Value:x16}";
}
