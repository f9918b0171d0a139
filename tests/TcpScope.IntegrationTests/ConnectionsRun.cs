using TcpScope.Correlation;
using TcpScope.Decode;
using TcpScope.Probes;
using TcpScope.Sources;

namespace TcpScope.IntegrationTests;

/// <summary>
/// The connections source and table running on a thread of their own while a test makes
/// traffic: what `life` and `connect` would show, collected for assertions after Stop.
/// </summary>
internal sealed class ConnectionsRun : IDisposable, IConnectionObserver
{
    private readonly ProbeSetSource source;
    private readonly CancellationTokenSource cts = new();
    private readonly Task<SourceStats> running;
    private readonly List<ConnectAttempt> attempts = [];
    private readonly List<(string Kind, Connection Connection)> life = [];

    private ConnectionsRun(StatesFilter filter, bool stacks)
    {
        KernelEnums enums = KernelEnums.LoadOrBuiltIn();
        source = ProbeSetSource.Start(ProbeFamily.Conn, [], filter, new TraceOptions(), () => enums, stacks);
        Assert.Empty(source.Degraded);
        var table = new ConnectionTable([this], enums, ConnectionTable.DefaultCapacity, expectStacks: stacks);
        running = Task.Factory.StartNew(() => source.Run(table, cts.Token), TaskCreationOptions.LongRunning);
    }

    /// <summary>Follows the sockets this test process owns (the lab's clients and servers run in it).</summary>
    public static ConnectionsRun OfThisProcess(bool stacks = false) =>
        new(new StatesFilter { Pid = (uint)Environment.ProcessId }, stacks);

    public static ConnectionsRun Start(StatesFilter filter) => new(filter, false);

    public IReadOnlyList<ConnectAttempt> Attempts => attempts;

    /// <summary>"C", "A", "X" with the connection, in the order `life` prints them.</summary>
    public IReadOnlyList<(string Kind, Connection Connection)> Life => life;

    public SourceStats Stop()
    {
        cts.Cancel();
        Assert.True(running.Wait(TimeSpan.FromSeconds(10)), "the source did not stop within 10 s of cancellation");
        return running.Result;
    }

    public void OnConnectEnded(ConnectAttempt a)
    {
        attempts.Add(a);
        if (a.Connection.EstablishedNs is not null)
        {
            life.Add(("C", a.Connection));
        }
    }

    public void OnAccepted(Connection c) => life.Add(("A", c));

    public void OnClosed(Connection c) => life.Add(("X", c));

    public void Dispose()
    {
        cts.Cancel();
        running.Wait(TimeSpan.FromSeconds(10));
        source.Dispose();
        cts.Dispose();
    }

    // attempts that ended only
    public void OnConnectInProgress(ConnectAttempt a)
    {
    }
}
