using System.Net;

namespace TcpScope.Lab;

/// <summary>
/// Two network namespaces, a client and a server, joined by a veth pair: client 198.18.0.1/24,
/// server 198.18.0.2/24 (RFC 2544 benchmark range, only inside these namespaces). Names are
/// unique per run; disposing removes both namespaces, which removes the veth pair with them.
/// </summary>
public sealed class LabTopology : IDisposable
{
    public static readonly IPAddress ClientAddress = IPAddress.Parse("198.18.0.1");
    public static readonly IPAddress ServerAddress = IPAddress.Parse("198.18.0.2");

    private LabTopology(NetworkNamespace client, NetworkNamespace server, string clientDevice, string serverDevice)
    {
        Client = client;
        Server = server;
        ClientDevice = clientDevice;
        ServerDevice = serverDevice;
    }

    /// <summary>The client's end of the veth pair (for tc on its egress).</summary>
    public string ClientDevice { get; }

    public string ServerDevice { get; }

    public NetworkNamespace Client { get; }

    public NetworkNamespace Server { get; }

    public static LabTopology Create(string scenario)
    {
        NetworkNamespace? client = null, server = null;
        try
        {
            client = NetworkNamespace.Create($"tslab-{scenario}-cli");
            server = NetworkNamespace.Create($"tslab-{scenario}-srv");
            (string c, string s) = Link(client, $"{ClientAddress}/24", server, $"{ServerAddress}/24");
            return new LabTopology(client, server, c, s);
        }
        catch
        {
            client?.Dispose();
            server?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Joins two namespaces with a veth pair, gives each end an address ("198.18.1.1/24") and
    /// brings both up; returns the device names (a, b).
    /// </summary>
    public static (string A, string B) Link(NetworkNamespace a, string addressA, NetworkNamespace b, string addressB)
    {
        // veth names are at most 15 characters: "ts" + a per-process counter in hex + side
        int n = Interlocked.Increment(ref links);
        string tag = $"{Environment.ProcessId % 0x100000:x}{n:x}";
        string va = $"tsa{tag}", vb = $"tsb{tag}";
        NetworkNamespace.Ip("link", "add", va, "netns", a.Name, "type", "veth", "peer", "name", vb, "netns", b.Name);
        a.IpIn("addr", "add", addressA, "dev", va);
        b.IpIn("addr", "add", addressB, "dev", vb);
        a.IpIn("link", "set", va, "up");
        b.IpIn("link", "set", vb, "up");
        return (va, vb);
    }

    private static int links;

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }
}
