using System.Net;
using System.Net.Sockets;

namespace TcpScope.Lab.Scenarios;

/// <summary>The baseline: one request and reply, then an orderly close by either side.</summary>
public sealed class NormalScenario : ILabScenario
{
    public const int Port = 80;

    public string Name => "normal";

    public string Description =>
        "The baseline experiments. A client connects to 198.18.0.2:80, sends a request and reads the reply. "
        + "client-closes-first: the client closes, then the server (the client keeps TIME_WAIT). "
        + "server-closes-first: the server closes right after replying, like an HTTP/1.0 server (the server keeps TIME_WAIT).";

    public IReadOnlyList<string> Variants { get; } = ["client-closes-first", "server-closes-first"];

    public void Run(LabRun lab)
    {
        bool serverFirst = lab.Variant == "server-closes-first";
        var at = new IPEndPoint(LabTopology.ServerAddress, Port);
        using Socket listener = lab.Topology.Server.Run(() => LabSockets.Listen(at, 16), "lab-server");
        Task server = lab.Topology.Server.RunInBackground(() => Serve(listener, serverFirst), "lab-server");

        lab.Topology.Client.Run(
            () =>
            {
                (Socket? s, ClientOutcome outcome) = LabSockets.Connect(1, at, lab.TimeoutOr(TimeSpan.FromSeconds(5)), lab.Cancellation);
                lab.Record(outcome);
                if (s is null)
                {
                    return 0;
                }

                using (s)
                {
                    s.Send(HttpCloseFirst.Request);
                    int got = LabSockets.ReceiveUpTo(s, HttpCloseFirst.Reply.Length, TimeSpan.FromSeconds(5));
                    if (serverFirst)
                    {
                        LabSockets.ReceiveUpTo(s, 1, TimeSpan.FromSeconds(5)); // the server's FIN
                    }

                    lab.Say($"The client connected in {LabText.Duration(outcome.Elapsed)} from port {outcome.LocalPort} and read a {got}-byte reply.");
                }

                return 0;
            },
            "lab-client");

        server.Wait(TimeSpan.FromSeconds(10));
        lab.SnapshotSockets();
        lab.Say(serverFirst
            ? "The server closed first, so the server's side of the connection stays in TIME_WAIT (60 s); the client's side is gone."
            : "The client closed first, so the client's side stays in TIME_WAIT (60 s); the server went CLOSE_WAIT -> LAST_ACK -> CLOSE.");
    }

    private static void Serve(Socket listener, bool closeFirst)
    {
        using Socket conn = LoopbackExchange.Accept(listener);
        HttpCloseFirst.Respond(conn);
        if (!closeFirst)
        {
            LabSockets.ReceiveUpTo(conn, 1, TimeSpan.FromSeconds(5)); // until the client's FIN
        }
    }
}
