namespace TcpScope.Output;

/// <summary>Which verb a connections renderer writes for.</summary>
public enum ConnectionsView
{
    Life,
    Connect,
}
