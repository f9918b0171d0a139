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

    private LabTopology(NetworkNamespace client, NetworkNamespace server)
    {
        Client = client;
        Server = server;
    }

    public NetworkNamespace Client { get; }

    public NetworkNamespace Server { get; }

    public static LabTopology Create(string scenario)
    {
        NetworkNamespace? client = null, server = null;
        try
        {
            client = NetworkNamespace.Create($"tslab-{scenario}-cli");
            server = NetworkNamespace.Create($"tslab-{scenario}-srv");
            // veth names are at most 15 characters: derive them from the unique namespace suffix
            string id = client.Name[(client.Name.LastIndexOf('-', client.Name.Length - 1) + 1)..];
            string tag = $"{Environment.ProcessId % 100000:x}{id}";
            string vc = $"tsc{tag}", vs = $"tss{tag}";
            NetworkNamespace.Ip("link", "add", vc, "netns", client.Name, "type", "veth", "peer", "name", vs, "netns", server.Name);
            client.IpIn("addr", "add", $"{ClientAddress}/24", "dev", vc);
            server.IpIn("addr", "add", $"{ServerAddress}/24", "dev", vs);
            client.IpIn("link", "set", vc, "up");
            server.IpIn("link", "set", vs, "up");
            return new LabTopology(client, server);
        }
        catch
        {
            client?.Dispose();
            server?.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }
}
