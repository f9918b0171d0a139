using System.Globalization;

namespace TcpScope.Sources.Sockets;

/// <summary>
/// Finds which processes hold which sockets: every /proc/PID/fd/N that links to "socket:[INODE]"
/// (the inode sock_diag reports). Processes come and go during the scan, and without
/// CAP_SYS_PTRACE / CAP_DAC_READ_SEARCH other users' descriptors cannot be read: both are
/// expected, counted and said, never fatal.
/// </summary>
public static class SocketOwnerScan
{
    /// <summary>Scans <paramref name="procRoot"/>; with <paramref name="wanted"/>, keeps only those inodes.</summary>
    public static SocketOwnerMap Scan(string procRoot = "/proc", IReadOnlySet<ulong>? wanted = null) =>
        Scan(procRoot, wanted, Directory.EnumerateFileSystemEntries);

    /// <param name="listFds">Lists a /proc/PID/fd directory (a seam for the errors a test cannot provoke as root).</param>
    internal static SocketOwnerMap Scan(string procRoot, IReadOnlySet<ulong>? wanted, Func<string, IEnumerable<string>> listFds)
    {
        var byInode = new Dictionary<ulong, List<SocketOwner>>();
        var unreadable = new List<string>();
        int vanished = 0;
        int processes = 0;
        foreach (string dir in Directory.EnumerateDirectories(procRoot))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            SocketOwner? owner = null;
            string fdDir = Path.Combine(dir, "fd");
            try
            {
                foreach (string fd in listFds(fdDir))
                {
                    if (InodeOf(fd) is not ulong inode || (wanted is not null && !wanted.Contains(inode)))
                    {
                        continue;
                    }

                    owner ??= new SocketOwner(pid, Comm(dir));
                    if (!byInode.TryGetValue(inode, out List<SocketOwner>? owners))
                    {
                        byInode[inode] = owners = [];
                    }

                    if (!owners.Contains(owner)) // two descriptors of one socket in one process
                    {
                        owners.Add(owner);
                    }
                }

                processes++;
            }
            catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException)
            {
                vanished++; // exited between the listing of /proc and the reading of its fd
            }
            catch (UnauthorizedAccessException)
            {
                unreadable.Add($"pid {pid} ({Comm(dir)}): {fdDir}: permission denied");
            }
            catch (IOException e)
            {
                unreadable.Add($"pid {pid} ({Comm(dir)}): {fdDir}: {e.Message}");
            }
        }

        return new SocketOwnerMap(
            byInode.ToDictionary(p => p.Key, p => (IReadOnlyList<SocketOwner>)p.Value),
            unreadable,
            vanished,
            processes);
    }

    /// <summary>The inode of "socket:[58914437]"; null for any other descriptor or one closed meanwhile.</summary>
    private static ulong? InodeOf(string fdPath)
    {
        string? target;
        try
        {
            target = new FileInfo(fdPath).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        const string Prefix = "socket:[";
        return target is not null && target.StartsWith(Prefix, StringComparison.Ordinal) && target.EndsWith(']')
            && ulong.TryParse(target.AsSpan(Prefix.Length, target.Length - Prefix.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out ulong inode)
            ? inode
            : null;
    }

    private static string Comm(string pidDir)
    {
        try
        {
            return File.ReadAllText(Path.Combine(pidDir, "comm")).TrimEnd('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "?";
        }
    }
}
