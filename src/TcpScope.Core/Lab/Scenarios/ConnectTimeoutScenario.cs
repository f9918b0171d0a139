using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace TcpScope.Lab.Scenarios;

/// <summary>A blackhole: SYNs are dropped silently, the client retransmits until someone gives up.</summary>
public sealed class ConnectTimeoutScenario : ILabScenario
{
    public const int Port = 81;

    public string Name => "connect-timeout";

    public string Description =>
        "The server's firewall drops SYNs to 198.18.0.2:81 (iptables DROP), so nothing ever answers. app-timeout: the client "
        + "gives up after its own timeout (default 10 s, like `nc -w 10`) while the kernel is still retransmitting the SYN. "
        + "kernel-timeout: the client waits as long as the kernel does; with tcp_syn_retries (default here 2) the kernel gives "
        + "up with ETIMEDOUT. Note: on new kernels the first SYN retransmits are 1 s apart (tcp_syn_linear_timeouts), so the "
        + "number of retransmits does not tell tcp_syn_retries.";

    public IReadOnlyList<string> Variants { get; } = ["app-timeout", "kernel-timeout"];

    public void Run(LabRun lab)
    {
        bool kernel = lab.Variant == "kernel-timeout";
        int? retries = lab.Options.SynRetries ?? (kernel ? 2 : null);
        if (retries is int r)
        {
            lab.Topology.Client.SetSysctl("net.ipv4.tcp_syn_retries", r.ToString(CultureInfo.InvariantCulture));
        }

        lab.Topology.Server.Exec("iptables", "-A", "INPUT", "-p", "tcp", "--dport", $"{Port}", "--syn", "-j", "DROP");
        TimeSpan timeout = kernel ? LabOptions.MaxTimeout : lab.TimeoutOr(TimeSpan.FromSeconds(10));
        var at = new IPEndPoint(LabTopology.ServerAddress, Port);
        ClientOutcome outcome = lab.ConnectOnce(1, at, timeout);
        lab.Say(outcome.Outcome == OutcomeKind.KernelTimedOut
            ? $"The kernel gave up after {LabText.Duration(outcome.Elapsed)} (tcp_syn_retries={retries}): connect() failed with ETIMEDOUT."
            : $"The client gave up after {LabText.Duration(outcome.Elapsed)}, its own timeout; the kernel was still retransmitting the SYN from port {outcome.LocalPort}.");
    }
}
