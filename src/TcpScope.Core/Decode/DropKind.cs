namespace TcpScope.Decode;

/// <summary>What a <see cref="PacketDrop"/> is: a segment thrown away, or a reset sent.</summary>
public enum DropKind : byte
{
    /// <summary>kfree_skb: the kernel freed a TCP segment without delivering it (reason: <c>enum skb_drop_reason</c>).</summary>
    Drop = 1,

    /// <summary>tcp_send_reset: the kernel answered a segment (or aborted a socket) with RST (reason: <c>enum sk_rst_reason</c>).</summary>
    Reset = 2,
}
