namespace TcpScope.Lab;

/// <summary>The programs the labs run (found through PATH, as a shell would), and the Debian package of each.</summary>
public static class HostTools
{
    /// <summary>The Debian package that ships <paramref name="tool"/>.</summary>
    public static string PackageOf(string tool) => tool switch
    {
        "ip" or "tc" or "ss" => "iproute2",
        "iptables" => "iptables",
        _ => tool,
    };

    /// <summary>The full path of <paramref name="tool"/> on PATH; throws <see cref="MissingToolException"/> when there is none.</summary>
    public static string Require(string tool)
    {
        string path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (string dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new MissingToolException(tool, PackageOf(tool));
    }

    /// <summary>Whether a tool's error output says the kernel refused it for lack of privilege.</summary>
    public static bool IsPermissionDenied(string stderr) =>
        stderr.Contains("Operation not permitted", StringComparison.Ordinal)
        || stderr.Contains("Permission denied", StringComparison.Ordinal);
}
