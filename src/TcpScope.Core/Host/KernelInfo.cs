namespace TcpScope.Host;

/// <summary>Facts about the running kernel that decide what TcpScope can do.</summary>
public static class KernelInfo
{
    public const string VmlinuxBtf = "/sys/kernel/btf/vmlinux";

    public static string Release() => ReadTrimmed("/proc/sys/kernel/osrelease") ?? "unknown";

    public static bool HasBtf() => File.Exists(VmlinuxBtf);

    /// <summary>Where tracefs is mounted, or null.</summary>
    public static string? TracefsMount()
    {
        foreach (string line in File.ReadLines("/proc/mounts"))
        {
            string[] f = line.Split(' ');
            if (f.Length > 2 && f[2] == "tracefs")
            {
                return f[1];
            }
        }

        return null;
    }

    public static string? ReadTrimmed(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
