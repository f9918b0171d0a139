namespace TcpScope.Decode.Abi;

/// <summary>enum ts_counter: indexes of every object's per-CPU counters map.</summary>
public enum Counter : uint
{
    Lost = 0,
}
