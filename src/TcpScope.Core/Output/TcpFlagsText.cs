namespace TcpScope.Output;

/// <summary>A TCP header's flags as letters, in the order tools print them: S, F, R, P, then A, U, E, C ("SA", "FA", "PA").</summary>
public static class TcpFlagsText
{
    public const byte Fin = 0x01;
    public const byte Syn = 0x02;
    public const byte Rst = 0x04;
    public const byte Psh = 0x08;
    public const byte AckFlag = 0x10;
    public const byte Urg = 0x20;
    public const byte Ece = 0x40;
    public const byte Cwr = 0x80;

    private static readonly string[] Cache = [.. Enumerable.Range(0, 256).Select(f => Build((byte)f))];

    public static string Of(byte flags) => Cache[flags];

    private static string Build(byte f)
    {
        var s = new System.Text.StringBuilder(8);
        (byte Bit, char Letter)[] order = [(Syn, 'S'), (Fin, 'F'), (Rst, 'R'), (Psh, 'P'), (AckFlag, 'A'), (Urg, 'U'), (Ece, 'E'), (Cwr, 'C')];
        foreach ((byte bit, char letter) in order)
        {
            if ((f & bit) != 0)
            {
                s.Append(letter);
            }
        }

        return s.Length == 0 ? "-" : s.ToString();
    }
}
