using System.Net;
using System.Net.Sockets;
using TcpScope.Lab.Packets;

namespace TcpScope.Lab.Scenarios;

/// <summary>A real client reconnects on the 4-tuple the server holds in TIME_WAIT, and its SYN is answered by a bare ACK.</summary>
public sealed class SynSentBadAckScenario : ILabScenario
{
    public const int Port = 80;
    public const int ClientPort = 54321;

    /// <summary>Pushed on the first connection so that the TIME_WAIT's rcv_nxt runs ahead of the ISN clock (64 ns per step).</summary>
    public const long PushBytes = 64L << 20;

    public string Name => "synsent-bad-ack";

    public string Description =>
        $"The client pushes {PushBytes >> 20} MiB to a sink on 198.18.0.2:{Port} that closes first, so the server's TIME_WAIT "
        + $"for 198.18.0.1:{ClientPort} expects sequence numbers far ahead of a new ISN; the client has tcp_timestamps=0, so only "
        + "sequence numbers count. It then connects again from the same port: the SYN gets a bare ACK, the client in SYN_SENT "
        + "answers with a RST, which kills the TIME_WAIT, and its SYN retransmit (about 10 ms later) succeeds. rfc1337: the "
        + "server has tcp_rfc1337=1 and ignores the RST, so the connect hangs until the client's timeout (default 5 s).";

    public IReadOnlyList<string> Variants { get; } = ["default", "rfc1337"];

    public void Run(LabRun lab)
    {
        lab.Topology.Client.SetSysctl("net.ipv4.tcp_timestamps", "0");
        if (lab.Variant == "rfc1337")
        {
            lab.Topology.Server.SetSysctl("net.ipv4.tcp_rfc1337", "1");
        }

        var at = new IPEndPoint(LabTopology.ServerAddress, Port);
        using Socket listener = lab.Topology.Server.Run(() => LabSockets.Listen(at, 16), "lab-server");
        Task sink = lab.Topology.Server.RunInBackground(() => HttpCloseFirst.ServeOne(listener, PushBytes), "lab-server");
        lab.Record(lab.Topology.Client.Run(() => HttpCloseFirst.Fetch(lab, 1, at, ClientPort, PushBytes), "lab-client"));
        sink.Wait(TimeSpan.FromSeconds(15));
        lab.Say($"The first connection pushed {PushBytes >> 20} MiB and the server closed first: it holds TIME_WAIT for 198.18.0.1:{ClientPort}.");

        Task accept = lab.Topology.Server.RunInBackground(
            () =>
            {
                if (listener.Poll(15_000_000, SelectMode.SelectRead))
                {
                    listener.Accept().Dispose();
                }
            },
            "lab-server");
        ClientOutcome second = lab.Topology.Client.Run(
            () =>
            {
                using var raw = new RawTcp();
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                s.Bind(new IPEndPoint(LabTopology.ClientAddress, ClientPort));
                (Socket? c, ClientOutcome o) = LabSockets.Connect(2, at, lab.TimeoutOr(TimeSpan.FromSeconds(5)), lab.Cancellation, s);
                c?.Dispose();
                RecordReplies(lab, raw);
                return o;
            },
            "lab-client");
        lab.Record(second);
        accept.Wait(TimeSpan.FromSeconds(1));
        lab.SnapshotSockets();
        lab.Say(second.Outcome == OutcomeKind.Connected
            ? $"The second connect from port {ClientPort} succeeded after {LabText.Duration(second.Elapsed)}: its SYN met the TIME_WAIT, got a bare ACK, the client reset it, and the SYN retransmit got through."
            : $"The second connect from port {ClientPort} ended {LabText.Outcome(second.Outcome)} after {LabText.Duration(second.Elapsed)}: every SYN met the TIME_WAIT, which ignored the client's RSTs.");
    }

    /// <summary>
    /// What the server sent the second connect, as captured in the client's namespace: the first bare ACK's
    /// ack number (the TIME_WAIT's rcv_nxt) and, from the SYN-ACK that ended it, the SYN's sequence number.
    /// </summary>
    private static void RecordReplies(LabRun lab, RawTcp raw)
    {
        bool ack = false, synAck = false;
        for (int i = 0; i < 64 && raw.Receive(x => x.SourcePort == Port && x.DestinationPort == ClientPort, TimeSpan.FromMilliseconds(100)) is { } r; i++)
        {
            if (r.Flags == TcpFlags.Ack && !ack && !synAck)
            {
                ack = true;
                lab.Fact("bare_ack_ack", r.Acknowledgment.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            else if (r.Flags == (TcpFlags.Syn | TcpFlags.Ack) && !synAck)
            {
                synAck = true;
                lab.Fact("syn_seq", (r.Acknowledgment - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }
}
