using TcpScope.Decode;

namespace TcpScope.Output;

/// <summary>State names as users know them from ss and tcpstates, without allocating.</summary>
public static class StateNames
{
    private static readonly string[] Names = Build();

    public static string Of(TcpState s) => Names[(byte)s];

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
