using TcpScope.Sources.Sockets;

namespace TcpScope.Tests;

/// <summary>Socket inode -> owner on a fake /proc tree: fd symlinks as the kernel shows them ("socket:[N]", "pipe:[N]", paths).</summary>
public sealed class SocketOwnerScanTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("tcpscope-proc-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private void Process(int pid, string? comm, params (int Fd, string Target)[] fds)
    {
        string dir = Path.Combine(root, pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(Path.Combine(dir, "fd"));
        if (comm is not null)
        {
            File.WriteAllText(Path.Combine(dir, "comm"), comm + "\n");
        }

        foreach ((int fd, string target) in fds)
        {
            File.CreateSymbolicLink(Path.Combine(dir, "fd", fd.ToString(System.Globalization.CultureInfo.InvariantCulture)), target);
        }
    }

    [Fact]
    public void Sockets_map_to_every_process_holding_them()
    {
        Process(100, "server", (0, "/dev/null"), (3, "socket:[5001]"), (4, "socket:[5002]"), (5, "pipe:[7000]"), (6, "socket:[5001]"));
        Process(200, "worker", (3, "socket:[5001]"), (9, "anon_inode:[eventpoll]"));
        Process(300, "other", (3, "socket:[6000]"));
        Directory.CreateDirectory(Path.Combine(root, "sys")); // not a process
        File.WriteAllText(Path.Combine(root, "uptime"), "1.0 1.0\n");

        SocketOwnerMap map = SocketOwnerScan.Scan(root);

        Assert.Equal(["100/server", "200/worker"], map.Owners(5001).Select(o => o.ToString()).Order());
        Assert.Equal("100/server", Assert.Single(map.Owners(5002)).ToString());
        Assert.Equal("300/other", Assert.Single(map.Owners(6000)).ToString());
        Assert.Empty(map.Owners(7000)); // a pipe, not a socket
        Assert.Empty(map.Owners(0)); // what unaccepted children and request sockets report
        Assert.Equal(3, map.ByInode.Count);
        Assert.Equal(3, map.Processes);
        Assert.Empty(map.Unreadable);
    }

    [Fact]
    public void Only_wanted_inodes_are_kept()
    {
        Process(100, "server", (3, "socket:[5001]"), (4, "socket:[5002]"));

        SocketOwnerMap map = SocketOwnerScan.Scan(root, new HashSet<ulong> { 5002 });

        Assert.Equal([5002UL], map.ByInode.Keys);
    }

    [Fact]
    public void Processes_that_exit_or_cannot_be_read_are_counted_and_named()
    {
        Process(100, "server", (3, "socket:[5001]"));
        Directory.CreateDirectory(Path.Combine(root, "400")); // exited: its fd directory is gone
        Process(500, "sshd", (3, "socket:[5003]"));
        Process(600, null, (3, "socket:[5004]")); // exited between its fd and its comm
        string denied = Path.Combine(root, "500", "fd");

        SocketOwnerMap map = SocketOwnerScan.Scan(root, null, dir =>
            dir == denied ? throw new UnauthorizedAccessException("EACCES") : Directory.EnumerateFileSystemEntries(dir));

        Assert.Equal(1, map.Vanished);
        Assert.Equal($"pid 500 (sshd): {denied}: permission denied", Assert.Single(map.Unreadable));
        Assert.Empty(map.Owners(5003));
        Assert.Equal("100/server", Assert.Single(map.Owners(5001)).ToString());
        Assert.Equal("600/?", Assert.Single(map.Owners(5004)).ToString());
        Assert.Equal(2, map.Processes);
    }

    [Fact]
    public void The_real_proc_shows_this_process_owning_its_socket()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        string link = Directory.EnumerateFileSystemEntries("/proc/self/fd")
            .Select(f => new FileInfo(f).LinkTarget)
            .Last(t => t is not null && t.StartsWith("socket:[", StringComparison.Ordinal))!;
        ulong inode = ulong.Parse(link[8..^1], System.Globalization.CultureInfo.InvariantCulture);

        SocketOwnerMap map = SocketOwnerScan.Scan("/proc", new HashSet<ulong> { inode });

        Assert.Contains(map.Owners(inode), o => o.Pid == Environment.ProcessId);
    }
}
