using System.Net;
using System.Net.Sockets;
using TcpScope.Decode;
using TcpScope.Diagnosis;
using TcpScope.Host;
using TcpScope.Lab;
using TcpScope.Sources;

namespace TcpScope.IntegrationTests;

/// <summary>The CLOSE_WAIT rule on real sockets: a server that never closes after the client did, and one that does.</summary>
public class CloseWaitRuleIntegrationTests
{
    private static readonly TimeSpan Threshold = TimeSpan.FromSeconds(1);

    [PrivilegedTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fires_only_for_a_server_that_does_not_close(bool serverCloses)
    {
        using NetworkNamespace ns = NetworkNamespace.Create("ts-cw");
        var rule = new CloseWaitRule(Threshold);
        IReadOnlyList<Finding> findings;
        using var release = new ManualResetEventSlim();
        var port = new TaskCompletionSource<int>();
        using (TracedRun run = TracedRun.Start(new StatesFilter { NetNs = ns.Inode }, also: rule))
        {
            Task server = ns.RunInBackground(() => PeerClosesFirst(serverCloses, port, release), "ts-cw-server");
            Assert.True(port.Task.Wait(TimeSpan.FromSeconds(10)), "the conversation did not happen");
            Thread.Sleep(Threshold * 1.5);
            findings = run.Paused(() => rule.Evaluate(MonotonicClock.NowNs()));
            release.Set();
            server.Wait(TimeSpan.FromSeconds(10));
            run.Stop();
        }

        if (serverCloses)
        {
            Assert.Empty(findings);
            return;
        }

        Finding f = Assert.Single(findings);
        Assert.Equal(CloseWaitRule.RuleId, f.Id);
        Assert.Contains($"ts-cw-server (pid {Environment.ProcessId})", f.Title);
        Assert.Contains($"127.0.0.1:{port.Task.Result}", f.Subject);
        Assert.Contains("in CLOSE_WAIT for", Assert.Single(f.Evidence));
    }

    /// <summary>
    /// The client closes; the server either closes at once or keeps its socket (the leak)
    /// until <paramref name="release"/>. The server port is reported once the client closed.
    /// </summary>
    private static void PeerClosesFirst(bool serverCloses, TaskCompletionSource<int> port, ManualResetEventSlim release)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using Socket server = LoopbackExchange.Accept(listener);
        client.Send("request"u8);
        LoopbackExchange.ReceiveExactly(server, 7);
        client.Close();
        Thread.Sleep(100); // the FIN arrives: ESTABLISHED -> CLOSE_WAIT
        if (serverCloses)
        {
            server.Close();
        }

        port.SetResult(((IPEndPoint)listener.LocalEndPoint!).Port);
        release.Wait(TimeSpan.FromSeconds(30));
    }
}
