namespace TcpScope.Sources.Sockets;

/// <summary>A process holding a socket open: its pid and /proc/PID/comm ("?" when it exited before comm was read).</summary>
public sealed record SocketOwner(int Pid, string Comm)
{
    public override string ToString() => $"{Pid}/{Comm}";
}
