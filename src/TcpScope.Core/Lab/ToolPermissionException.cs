namespace TcpScope.Lab;

/// <summary>A program a lab runs was refused by the kernel: this process's privileges did not reach it.</summary>
public sealed class ToolPermissionException(string command, string error)
    : Exception($"{command} failed: {error}")
{
    public string Command { get; } = command;
}
