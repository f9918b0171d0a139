using TcpScope.Decode;

namespace TcpScope.Correlation;

public sealed partial class ConnectionTable
{
    // drops are not yet folded into connections: the drops verb shows them as they come
    public void OnDrop(in PacketDrop e)
    {
    }
}
