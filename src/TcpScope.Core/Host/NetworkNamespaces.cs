using System.Globalization;

namespace TcpScope.Host;

/// <summary>Network namespaces named by their inode number (what the kernel reports) or by a name under /run/netns.</summary>
public static class NetworkNamespaces
{
    public const string NamedDirectory = "/run/netns";

    /// <summary>
    /// The inode number for "4026532008", "net:[4026532008]", a name under /run/netns, or a
    /// path to a namespace file (/proc/PID/ns/net); null when it does not exist.
    /// </summary>
    public static uint? Resolve(string spec)
    {
        string s = spec.Trim();
        if (s.StartsWith("net:[", StringComparison.Ordinal) && s.EndsWith(']'))
        {
            s = s[5..^1];
        }

        if (uint.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out uint inode) && inode != 0)
        {
            return inode;
        }

        string path = s.Contains('/') ? s : Path.Combine(NamedDirectory, s);
        return InodeOf(path);
    }

    /// <summary>The network namespace of this process.</summary>
    public static uint Current() => InodeOf("/proc/self/ns/net") ?? 0;

    private static unsafe uint? InodeByStat(string path)
    {
        byte* buf = stackalloc byte[Interop.LibC.StatBufferSize];
        return Interop.LibC.stat(path, buf) == 0 ? (uint)*(ulong*)(buf + Interop.LibC.StatInodeOffset) : null;
    }

    public static uint? InodeOf(string path)
    {
        // /proc/self/ns/net is a magic link whose target reads "net:[INODE]"
        try
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is { } target && target.StartsWith("net:[", StringComparison.Ordinal))
            {
                return uint.Parse(target.AsSpan(5, target.Length - 6), CultureInfo.InvariantCulture);
            }

            if (!info.Exists)
            {
                return null;
            }

            // a bind mount of the namespace file (ip netns add): its inode is the namespace's
            return InodeByStat(path);
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
