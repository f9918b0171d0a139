using System.Net;
using System.Net.Sockets;

namespace TcpScope.Lab.Scenarios;

/// <summary>Connection refused: by the kernel (no listener), or by a firewall with a RST or an ICMP error.</summary>
public sealed class RefusedScenario : ILabScenario
{
    public string Name => "refused";

    public string Description =>
        "A client connects to a port that refuses it. closed-port: nothing listens on 198.18.0.2:81, the server's kernel "
        + "answers the SYN with a RST. firewall-rst: a server listens on :82 but an iptables REJECT --reject-with tcp-reset "
        + "answers for it. firewall-icmp: a server listens on :83 but iptables answers with ICMP port unreachable.";

    public IReadOnlyList<string> Variants { get; } = ["closed-port", "firewall-rst", "firewall-icmp"];

    public void Run(LabRun lab)
    {
        (int port, string? reject) = lab.Variant switch
        {
            "firewall-rst" => (82, "tcp-reset"),
            "firewall-icmp" => (83, "icmp-port-unreachable"),
            _ => (81, null),
        };
        var at = new IPEndPoint(LabTopology.ServerAddress, port);
        Socket? listener = null;
        if (reject is not null)
        {
            listener = lab.Topology.Server.Run(() => LabSockets.Listen(at, 16), "lab-server");
            lab.Topology.Server.Exec("iptables", "-A", "INPUT", "-p", "tcp", "--dport", $"{port}", "-j", "REJECT", "--reject-with", reject);
        }

        using (listener)
        {
            ClientOutcome outcome = lab.ConnectOnce(1, at, lab.TimeoutOr(TimeSpan.FromSeconds(5)));
            lab.Say(reject is null
                ? $"Nothing listens on {at}: the server's kernel answered the SYN with a RST. The client saw {LabText.Outcome(outcome.Outcome)} after {LabText.Duration(outcome.Elapsed)}."
                : $"A server listens on {at}, but the firewall rejects with {reject}. The client saw {LabText.Outcome(outcome.Outcome)} after {LabText.Duration(outcome.Elapsed)}.");
        }
    }
}
