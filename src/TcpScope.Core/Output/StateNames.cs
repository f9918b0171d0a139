using TcpScope.Decode;

namespace TcpScope.Output;

/// <summary>State names as users know them from ss and tcpstates, without allocating.</summary>
public static class StateNames
{
    /// <summary>Width of the state columns of the table (the longest name and a space).</summary>
    public const int ColumnWidth = 12;

    private static readonly string[] Names = Build();
    private static readonly byte[][] Columns = Names.Select(n => System.Text.Encoding.ASCII.GetBytes(n.PadRight(ColumnWidth))).ToArray();

    public static string Of(TcpState s) => Names[(byte)s];

    /// <summary>The name as ASCII, padded with spaces to <see cref="ColumnWidth"/>.</summary>
    public static ReadOnlySpan<byte> Column(TcpState s) => Columns[(byte)s];

    private static string[] Build()
    {
        var names = new string[256];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = Enum.IsDefined((TcpState)i) && i != 0 ? ((TcpState)i).ToString() : $"UNKNOWN({i})";
        }

        return names;
    }
}
