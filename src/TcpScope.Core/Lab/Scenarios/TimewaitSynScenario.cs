using System.Net;
using System.Net.Sockets;
using TcpScope.Lab.Packets;

namespace TcpScope.Lab.Scenarios;

/// <summary>Crafted SYNs on the 4-tuple of a connection the server holds in TIME_WAIT.</summary>
public sealed class TimewaitSynScenario : ILabScenario
{
    public const int Port = 80;
    public const int ClientPort = 54321;

    public string Name => "timewait-syn";

    public string Description =>
        $"An HTTP/1.0 server on 198.18.0.2:{Port} closes first, so it holds TIME_WAIT for 198.18.0.1:{ClientPort}. Crafted "
        + "SYNs on that same 4-tuple then hit the TIME_WAIT socket (the client namespace drops its own RSTs meanwhile). "
        + "lower-seq: a sequence number below the TIME_WAIT's rcv_nxt, no timestamps: answered by a bare ACK. paws: a lower "
        + "sequence and an older timestamp: rejected by PAWS (PAWSTimewait), a bare ACK. higher-seq: a higher sequence: "
        + "the SYN is accepted and the TIME_WAIT is reused (SYN-ACK).";

    public IReadOnlyList<string> Variants { get; } = ["lower-seq", "paws", "higher-seq"];

    public void Run(LabRun lab)
    {
        var at = new IPEndPoint(LabTopology.ServerAddress, Port);
        using Socket listener = lab.Topology.Server.Run(() => LabSockets.Listen(at, 16), "lab-server");
        Task server = lab.Topology.Server.RunInBackground(() => HttpCloseFirst.ServeOne(listener), "lab-server");
        lab.Topology.Client.Exec("iptables", "-A", "OUTPUT", "-p", "tcp", "--dport", $"{Port}", "--tcp-flags", "RST", "RST", "-j", "DROP");

        TcpSegment? reply = lab.Topology.Client.Run(
            () =>
            {
                using var raw = new RawTcp();
                ClientOutcome first = HttpCloseFirst.Fetch(lab, 1, at, ClientPort);
                lab.Record(first);
                server.Wait(TimeSpan.FromSeconds(5));

                // the server's last segment ACKs the client's FIN: its ack is the TIME_WAIT's rcv_nxt,
                // its TSecr the client's last TSval (the TIME_WAIT's ts_recent)
                TcpSegment? last = null;
                while (raw.Receive(s => s.SourcePort == Port && s.DestinationPort == ClientPort, TimeSpan.FromMilliseconds(200)) is { } s)
                {
                    last = s;
                }

                if (last is null)
                {
                    throw new InvalidOperationException("did not see the server's packets of the first connection");
                }

                uint rcvNxt = last.Acknowledgment;
                uint tsRecent = last.Timestamps?.Echo ?? 0;
                lab.Fact("tw_rcv_nxt", Text(rcvNxt));
                lab.Fact("tw_ts_recent", Text(tsRecent));
                TcpSegment syn = Probe(lab.Variant, rcvNxt, tsRecent);
                lab.Fact("syn_seq", Text(syn.Sequence));
                if (syn.Timestamps is { } ts)
                {
                    lab.Fact("syn_tsval", Text(ts.Value));
                }

                raw.Send(syn);
                return raw.Receive(s => s.SourcePort == Port && s.DestinationPort == ClientPort, TimeSpan.FromSeconds(2));
            },
            "lab-client");

        string kind = reply is null ? "none"
            : reply.Flags == TcpFlags.Ack ? "ack"
            : reply.Flags == (TcpFlags.Syn | TcpFlags.Ack) ? "syn-ack"
            : reply.Flags.HasFlag(TcpFlags.Rst) ? "rst"
            : reply.Flags.ToString().ToLowerInvariant();
        lab.Fact("reply", kind);
        if (reply is not null)
        {
            lab.Fact("reply_ack", Text(reply.Acknowledgment));
        }

        lab.SnapshotSockets();
        lab.Say($"The server closed first and holds TIME_WAIT for 198.18.0.1:{ClientPort} -> {at}.");
        lab.Say(kind switch
        {
            "ack" => $"The crafted SYN ({lab.Variant}) was answered by a bare ACK (ack {reply!.Acknowledgment}): the TIME_WAIT socket refused to reuse the 4-tuple. A real client in SYN_SENT would answer it with a RST.",
            "syn-ack" => $"The crafted SYN ({lab.Variant}) was accepted: SYN-ACK with ISN {reply!.Sequence}; the TIME_WAIT socket was replaced by a new request.",
            _ => $"The crafted SYN ({lab.Variant}) got {kind} in reply.",
        });
    }

    private static string Text(uint n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static TcpSegment Probe(string variant, uint rcvNxt, uint tsRecent) => new()
    {
        Source = LabTopology.ClientAddress,
        Destination = LabTopology.ServerAddress,
        SourcePort = ClientPort,
        DestinationPort = Port,
        Flags = TcpFlags.Syn,
        Mss = 1460,
        Sequence = variant == "higher-seq" ? rcvNxt + 100_000 : rcvNxt - 100_000,
        Timestamps = variant == "paws" ? (tsRecent - 1000, 0) : null,
    };
}
