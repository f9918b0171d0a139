using System.Globalization;
using System.Net;
using System.Net.Sockets;
using TcpScope.Decode;

namespace TcpScope.Lab.Scenarios;

/// <summary>A server that never closes what the peer closed, and the client's orphaned FIN_WAIT2.</summary>
public sealed class CloseWaitLeakScenario : ILabScenario
{
    public const int Port = 8080;

    /// <summary>What the client sends before it closes.</summary>
    public static ReadOnlySpan<byte> Request => "request"u8;

    public string Name => "close-wait-leak";

    public string Description =>
        "The server accepts, reads the request and never closes the connection; the client sends and closes. close-wait: "
        + "the server's socket stays in CLOSE_WAIT, without a timer, for as long as the server lives. fin-wait2: the client's "
        + "orphaned socket becomes a FIN_WAIT2 mini-socket that lives tcp_fin_timeout (set to 3 s in the client namespace "
        + "here) and is then removed without any event. killed: the server does not read the request either, and a second "
        + "client's connection waits in the accept queue; the server then dies (its sockets are closed as the kernel closes a killed "
        + "process's) with both in CLOSE_WAIT and their data "
        + "unread: the kernel throws the data away and resets both peers. Only the queued connection's data is freed through "
        + "kfree_skb (QUEUE_PURGE); the accepted one's is freed silently at close, which sends a RST (TCP_ABORT_ON_CLOSE).";

    public IReadOnlyList<string> Variants { get; } = ["close-wait", "fin-wait2", "killed"];

    public void Run(LabRun lab)
    {
        const int finTimeout = 3;
        lab.Topology.Client.SetSysctl("net.ipv4.tcp_fin_timeout", finTimeout.ToString(CultureInfo.InvariantCulture));
        var at = new IPEndPoint(LabTopology.ServerAddress, Port);
        using Socket listener = lab.Topology.Server.Run(() => LabSockets.Listen(at, 16), "lab-server");
        using var release = new ManualResetEventSlim();
        Socket? held = null;
        Task server = lab.Topology.Server.RunInBackground(
            () =>
            {
                held = LoopbackExchange.Accept(listener);
                if (lab.Variant != "killed")
                {
                    LabSockets.ReceiveUpTo(held, Request.Length, TimeSpan.FromSeconds(5));
                }

                release.Wait(lab.Cancellation); // the leak: no close()
            },
            "lab-server");

        ClientOutcome SendAndClose(int client) => lab.Topology.Client.Run(
            () =>
            {
                (Socket? s, ClientOutcome o) = LabSockets.Connect(client, at, lab.TimeoutOr(TimeSpan.FromSeconds(5)), lab.Cancellation);
                s?.Send(Request);
                s?.Dispose(); // close(): FIN, then FIN_WAIT2 once the server ACKs it
                return o;
            },
            "lab-client");
        lab.Record(SendAndClose(1));
        if (lab.Variant == "killed")
        {
            // a second connection the server never gets to: it waits, unread, in the accept queue
            lab.Pause(TimeSpan.FromMilliseconds(200));
            lab.Record(SendAndClose(2));
        }

        lab.Pause(TimeSpan.FromMilliseconds(300));
        try
        {
            if (lab.Variant == "fin-wait2")
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                bool seen = HasState(lab, LabRun.ClientRole, TcpState.FIN_WAIT2);
                lab.SnapshotSockets();
                while (HasState(lab, LabRun.ClientRole, TcpState.FIN_WAIT2) && watch.Elapsed < TimeSpan.FromSeconds(finTimeout + 5))
                {
                    lab.Pause(TimeSpan.FromMilliseconds(250));
                }

                bool gone = !HasState(lab, LabRun.ClientRole, TcpState.FIN_WAIT2);
                double after = watch.Elapsed.TotalSeconds + 0.3;
                lab.Say(!seen
                    ? "The client's socket did not show FIN_WAIT2."
                    : gone
                        ? $"The client's orphaned socket was in FIN_WAIT2 (a mini-socket) 0.3 s after close(), when the socket tables below were "
                          + $"taken; the kernel removed it about {after:0.0} s after close(), without any event (tcp_fin_timeout={finTimeout})."
                        : $"The client's orphaned socket was in FIN_WAIT2 (a mini-socket) 0.3 s after close(), when the socket tables below were "
                          + $"taken, and still was {after:0.0} s after close() (tcp_fin_timeout={finTimeout}).");
            }
            else if (lab.Variant == "killed")
            {
                lab.Pause(TimeSpan.FromMilliseconds(700));
                lab.SnapshotSockets();
                bool closeWait = HasState(lab, LabRun.ServerRole, TcpState.CLOSE_WAIT);

                // what the kernel does for a killed process: it closes every socket the process held
                release.Set();
                server.Wait(TimeSpan.FromSeconds(5));
                held?.Dispose();
                listener.Dispose();
                lab.Pause(TimeSpan.FromMilliseconds(300));
                lab.Fact("unread_bytes", Request.Length.ToString(CultureInfo.InvariantCulture));
                lab.Say(closeWait
                    ? $"The server's two sockets on {at} were in CLOSE_WAIT, each holding its client's {Request.Length} unread bytes "
                      + $"(recv-q {Request.Length + 1} in the table: the FIN takes a sequence number too), when the server died: the "
                      + "kernel threw the data away (the accepted socket's at close, the queued one's with its receive queue, QUEUE_PURGE) "
                      + "and reset both connections."
                    : "The server's sockets did not show CLOSE_WAIT.");
            }
            else
            {
                lab.Pause(TimeSpan.FromMilliseconds(700));
                lab.SnapshotSockets();
                lab.Say(HasState(lab, LabRun.ServerRole, TcpState.CLOSE_WAIT)
                    ? $"The client closed; the server's socket on {at} is in CLOSE_WAIT and stays there while the server lives: nothing in the kernel times it out."
                    : "The server's socket did not show CLOSE_WAIT.");
            }
        }
        finally
        {
            release.Set();
            server.Wait(TimeSpan.FromSeconds(5));
            held?.Dispose();
        }
    }

    private static bool HasState(LabRun lab, string role, TcpState state) => lab.SocketsNow(role).Any(s => s.State == state);
}
