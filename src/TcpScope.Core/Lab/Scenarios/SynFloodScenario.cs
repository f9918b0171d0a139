using System.Globalization;
using System.Net;
using System.Net.Sockets;
using TcpScope.Decode;
using TcpScope.Lab.Packets;

namespace TcpScope.Lab.Scenarios;

/// <summary>Crafted SYNs that never complete fill the SYN queue; what a legitimate client then sees depends on tcp_syncookies.</summary>
public sealed class SynFloodScenario : ILabScenario
{
    public const int Port = 8081;
    public const int Backlog = 8;

    /// <summary>Spoofed sources; the server routes them back towards the client namespace, which drops the SYN-ACKs silently.</summary>
    public const string SpoofedRange = "198.18.9.0/24";

    public string Name => "syn-flood";

    public string Description =>
        $"300 crafted SYNs (raw socket, random sources in {SpoofedRange} and random ports, never completed, sent over "
        + $"1.5 s) hit a listener on 198.18.0.2:{Port} with backlog {Backlog} and tcp_synack_retries=2; then a legitimate "
        + "client connects and measures how long it takes. cookies-1 (the default): the SYN queue fills, SYN cookies are "
        + "sent and the client connects at once. cookies-0: SYNs beyond the queue are dropped; the client waits until the "
        + "half-open requests expire (about 7 s). cookies-2: every SYN is answered with a cookie.";

    public IReadOnlyList<string> Variants { get; } = ["cookies-1", "cookies-0", "cookies-2"];

    public void Run(LabRun lab)
    {
        int cookies = lab.Options.Syncookies ?? int.Parse(lab.Variant["cookies-".Length..], CultureInfo.InvariantCulture);
        int count = Math.Clamp(lab.Options.Clients ?? 300, 1, 2000);
        lab.Topology.Server.SetSysctl("net.ipv4.tcp_syncookies", cookies.ToString(CultureInfo.InvariantCulture));
        lab.Topology.Server.SetSysctl("net.ipv4.tcp_synack_retries", "2");
        lab.Topology.Server.IpIn("route", "add", SpoofedRange, "via", LabTopology.ClientAddress.ToString());
        var at = new IPEndPoint(LabTopology.ServerAddress, Port);
        using Socket listener = lab.Topology.Server.Run(() => LabSockets.Listen(at, Backlog), "lab-server");

        lab.Topology.Client.Run(
            () =>
            {
                using var raw = new RawTcp();
                var random = new Random(2544);
                for (int i = 0; i < count; i++)
                {
                    raw.Send(new TcpSegment
                    {
                        Source = new IPAddress([198, 18, 9, (byte)random.Next(1, 255)]),
                        Destination = LabTopology.ServerAddress,
                        SourcePort = (ushort)random.Next(1024, 65535),
                        DestinationPort = Port,
                        Sequence = (uint)random.Next(),
                        Flags = TcpFlags.Syn,
                        Mss = 1460,
                        IpId = (ushort)i,
                    });
                    if (i % 10 == 9)
                    {
                        lab.Pause(TimeSpan.FromMilliseconds(50)); // about 200 SYNs per second
                    }
                }

                return 0;
            },
            "lab-flood");
        int halfOpen = lab.SocketsNow(LabRun.ServerRole).Count(s => s.State == TcpState.SYN_RECV);
        lab.SnapshotSockets(); // the SYN queue at its fullest
        lab.Say($"{count} spoofed SYNs reached 198.18.0.2:{Port} (backlog {Backlog}, tcp_syncookies={cookies}); {halfOpen} half-open requests sit in the SYN queue.");

        ClientOutcome outcome = lab.ConnectOnce(1, at, lab.TimeoutOr(TimeSpan.FromSeconds(15)));
        lab.Say($"The legitimate client then saw {LabText.Outcome(outcome.Outcome)} after {LabText.Duration(outcome.Elapsed)}.");
    }
}
