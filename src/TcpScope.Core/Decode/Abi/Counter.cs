namespace TcpScope.Decode.Abi;

/// <summary>enum ts_counter: indexes of every object's per-CPU counters map.</summary>
public enum Counter : uint
{
    Lost = 0,

    /// <summary>Sockets not followed: the kernel's sockets map was full.</summary>
    SocketsFull = 1,

    /// <summary>Listeners not followed: the listeners map was full.</summary>
    ListenersFull = 2,

    /// <summary>Failed connects not followed to their error and connect() return: failed_attempts was full.</summary>
    AttemptsFull = 3,

    /// <summary>Records TcpScope's programs added to say a socket's CLOSE record was lost (sent or lost themselves).</summary>
    Gone = 4,

    /// <summary>drops --count: drops not counted because the drop_counts map was full.</summary>
    DropKeysFull = 5,
}
