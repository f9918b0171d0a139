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
    public static uint? Resolve(string spec) => Resolve(spec, out _);

    /// <summary>
    /// As <see cref="Resolve(string)"/>; when null, <paramref name="why"/> says what the spec is
    /// instead ("no such file", "a mnt namespace, not a network namespace", "not a namespace file").
    /// </summary>
    public static uint? Resolve(string spec, out string why)
    {
        why = "";
        string s = spec.Trim();
        if (s.StartsWith("net:[", StringComparison.Ordinal) && s.EndsWith(']'))
        {
            s = s[5..^1];
        }

        if (uint.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out uint inode))
        {
            if (inode == 0)
            {
                why = "0 is no namespace's inode number";
                return null;
            }

            return inode;
        }

        string path = s.Contains('/') ? s : Path.Combine(NamedDirectory, s);
        if (!File.Exists(path))
        {
            why = s.Contains('/') ? "no such file" : $"no namespace of that name in {NamedDirectory}";
            return null;
        }

        // any file has an inode: only the kernel can tell that it is a network namespace
        if (KindOf(path, out why) != Interop.LibC.CLONE_NEWNET)
        {
            return null;
        }

        return InodeOf(path);
    }

    /// <summary>The CLONE_NEW* type of a namespace file (NS_GET_NSTYPE), or 0 with the reason it is none.</summary>
    private static int KindOf(string path, out string why)
    {
        why = "";
        try
        {
            using Microsoft.Win32.SafeHandles.SafeFileHandle fd = File.OpenHandle(path);
            int type = Interop.LibC.ioctl((int)fd.DangerousGetHandle(), Interop.LibC.NS_GET_NSTYPE);
            if (type < 0)
            {
                why = "not a namespace file";
                return 0;
            }

            if (type != Interop.LibC.CLONE_NEWNET)
            {
                why = $"it is a {KindName(path, type)} namespace";
            }

            return type;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            why = $"cannot be opened ({e.Message})";
            return 0;
        }
    }

    private static string KindName(string path, int type)
    {
        // /proc/PID/ns/mnt links to "mnt:[4026531841]"; a bind mount does not say, the flag does
        string? target = new FileInfo(path).LinkTarget;
        int colon = target?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        return colon > 0 ? target![..colon] : $"0x{type:x}";
    }

    /// <summary>The network namespace of this process.</summary>
    public static uint Current() => InodeOf("/proc/self/ns/net") ?? 0;

    /// <summary>
    /// Every network namespace in sight, each with a file to enter it by: this process's, the
    /// names under /run/netns, and those of processes (the first process found in each).
    /// </summary>
    public static IReadOnlyDictionary<uint, string> AllInSight(string proc = "/proc", string named = NamedDirectory)
    {
        var found = new Dictionary<uint, string>();
        void Add(string path)
        {
            if (InodeOf(path) is uint inode)
            {
                found.TryAdd(inode, path);
            }
        }

        Add(Path.Combine(proc, "self/ns/net"));
        try
        {
            if (Directory.Exists(named))
            {
                foreach (string f in Directory.EnumerateFiles(named))
                {
                    Add(f);
                }
            }

            foreach (string d in Directory.EnumerateDirectories(proc))
            {
                if (uint.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    Add(Path.Combine(d, "ns/net"));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // what was found so far is what is in sight
        }

        return found;
    }

    /// <summary>
    /// Whether a network namespace of this inode is in sight: this process's, a name under
    /// /run/netns, or some process's. False can still be a namespace held only by a bind mount
    /// elsewhere or an open file, or one that is yet to come: a hint for a warning, not a refusal.
    /// </summary>
    public static bool InSight(uint inode, string proc = "/proc", string named = NamedDirectory)
    {
        if (InodeOf(Path.Combine(proc, "self/ns/net")) == inode)
        {
            return true;
        }

        try
        {
            if (Directory.Exists(named) && Directory.EnumerateFiles(named).Any(f => InodeOf(f) == inode))
            {
                return true;
            }

            return Directory.EnumerateDirectories(proc)
                .Where(d => uint.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out _))
                .Any(d => InodeOf(Path.Combine(d, "ns/net")) == inode);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

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
