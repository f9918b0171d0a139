using System.Globalization;

namespace TcpScope.IntegrationTests;

/// <summary>One line of /proc/PID/maps: "start-end perms offset dev inode path".</summary>
internal sealed record MapsLine(ulong Start, ulong End, string Permissions, ulong Offset, string Text)
{
    public ulong Length => End - Start;

    public static MapsLine Parse(string line)
    {
        string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string[] range = f[0].Split('-');
        return new MapsLine(
            ulong.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            ulong.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            f[1],
            ulong.Parse(f[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            line);
    }
}
