namespace TcpScope.Sources.Sockets;

/// <summary>
/// Socket inode -> the processes holding it, from one scan of /proc/*/fd. A socket shared after
/// fork() has several owners; one without any (an unaccepted child, a request socket, an
/// orphan) is not in the map. <see cref="Unreadable"/> says which processes could not be looked
/// at (their sockets may be missing here); <see cref="Vanished"/> counts those that exited during the scan.
/// </summary>
public sealed class SocketOwnerMap(IReadOnlyDictionary<ulong, IReadOnlyList<SocketOwner>> byInode, IReadOnlyList<string> unreadable, int vanished, int processes)
{
    public IReadOnlyDictionary<ulong, IReadOnlyList<SocketOwner>> ByInode { get; } = byInode;

    /// <summary>"pid 812 (sshd): /proc/812/fd: permission denied", one line per process not looked at.</summary>
    public IReadOnlyList<string> Unreadable { get; } = unreadable;

    public int Vanished { get; } = vanished;

    /// <summary>Processes whose descriptors were read.</summary>
    public int Processes { get; } = processes;

    public IReadOnlyList<SocketOwner> Owners(ulong inode) =>
        inode != 0 && ByInode.TryGetValue(inode, out IReadOnlyList<SocketOwner>? owners) ? owners : [];
}
