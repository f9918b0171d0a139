using System.Diagnostics;
using TcpScope.Decode;
using TcpScope.Sources.Counters;
using TcpScope.Sources.Sockets;

namespace TcpScope.Lab;

/// <summary>
/// One run of a scenario: its topology, its options, and what it observed. Counters are read
/// before and after in both namespaces; the scenario takes the socket snapshot at the moment
/// that tells its story (or it is taken at the end). The topology is always torn down.
/// </summary>
public sealed class LabRun
{
    public const string ClientRole = "client";
    public const string ServerRole = "server";

    private readonly List<string> story = [];
    private readonly List<ClientOutcome> clients = [];
    private readonly Dictionary<string, string> facts = [];
    private readonly KernelEnums enums = KernelEnums.LoadOrBuiltIn();
    private readonly List<(string Role, NetworkNamespace Ns, CounterSnapshot Before)> extras = [];
    private Dictionary<string, IReadOnlyList<SocketEntry>>? sockets;

    private readonly Action<string> progress;

    private LabRun(ILabScenario scenario, LabTopology topology, LabOptions options, CancellationToken cancellation, Action<string> progress)
    {
        this.progress = progress;
        Scenario = scenario;
        Topology = topology;
        Options = options;
        Cancellation = cancellation;
        Variant = options.Variant.Length > 0 ? options.Variant : scenario.Variants[0];
    }

    public ILabScenario Scenario { get; }

    public LabTopology Topology { get; }

    public LabOptions Options { get; }

    public string Variant { get; }

    public CancellationToken Cancellation { get; }

    /// <summary>Called with the topology once it exists, before the scenario starts (a tracer attaches here).</summary>
    public delegate void ReadyHandler(LabTopology topology);

    /// <summary>Builds the topology, runs the scenario, reports, and removes everything, also on failure or cancellation.</summary>
    /// <param name="progress">Told what step is running ("client 1 connects to ..."), for a status line.</param>
    public static LabResult Execute(ILabScenario scenario, LabOptions options, CancellationToken cancellation, ReadyHandler? ready = null, Action<string>? progress = null)
    {
        progress ??= static _ => { };
        if (options.Variant.Length > 0 && !scenario.Variants.Contains(options.Variant))
        {
            throw new ArgumentException($"scenario {scenario.Name} has no variant '{options.Variant}' (it has: {string.Join(", ", scenario.Variants)})", nameof(options));
        }

        var watch = Stopwatch.StartNew();
        progress("creating the network namespaces");
        using LabTopology topology = LabTopology.Create(scenario.Name);
        var run = new LabRun(scenario, topology, options, cancellation, progress);
        try
        {
            cancellation.ThrowIfCancellationRequested();
            CounterSnapshot clientBefore = Counters(topology.Client), serverBefore = Counters(topology.Server);
            ready?.Invoke(topology);
            progress($"running {scenario.Name} ({run.Variant})");
            scenario.Run(run);
            cancellation.ThrowIfCancellationRequested();
            progress("reading counters and socket tables");
            run.sockets ??= run.ReadSockets();
            List<NamespaceReport> reports =
            [
                new NamespaceReport(ClientRole, topology.Client.Name, topology.Client.Inode, Counters(topology.Client).DeltaSince(clientBefore), run.sockets[ClientRole]),
                new NamespaceReport(ServerRole, topology.Server.Name, topology.Server.Inode, Counters(topology.Server).DeltaSince(serverBefore), run.sockets[ServerRole]),
            ];
            reports.AddRange(run.extras.Select(x => new NamespaceReport(x.Role, x.Ns.Name, x.Ns.Inode, Counters(x.Ns).DeltaSince(x.Before), run.sockets.GetValueOrDefault(x.Role, []))));
            return new LabResult(scenario.Name, run.Variant, run.story, [.. run.clients.OrderBy(c => c.Client)], reports, watch.Elapsed, run.facts);
        }
        finally
        {
            progress("removing the network namespaces");
            run.extras.ForEach(x => x.Ns.Dispose());
        }
    }

    /// <summary>Says what the run is doing now (it may take seconds), for whoever watches.</summary>
    public void Step(string what) => progress(what);

    /// <summary>Another namespace for this run (a firewall, a second client): reported under its role, removed at the end.</summary>
    public NetworkNamespace CreateNamespace(string role)
    {
        NetworkNamespace ns = NetworkNamespace.Create($"tslab-{Scenario.Name}-{role}");
        extras.Add((role, ns, Counters(ns)));
        return ns;
    }

    /// <summary>A sentence of what happened, in plain words.</summary>
    public void Say(string sentence)
    {
        lock (story)
        {
            story.Add(sentence);
        }
    }

    /// <summary>A named observation tests and tools can read ("reply" = "ack").</summary>
    public void Fact(string name, string value)
    {
        lock (facts)
        {
            facts[name] = value;
        }
    }

    public void Record(ClientOutcome outcome)
    {
        lock (clients)
        {
            clients.Add(outcome);
        }
    }

    /// <summary>Corrects a client's recorded outcome with what happened after (a reset after connecting).</summary>
    public void Replace(ClientOutcome outcome)
    {
        lock (clients)
        {
            int i = clients.FindIndex(c => c.Client == outcome.Client);
            if (i >= 0)
            {
                clients[i] = outcome;
            }
            else
            {
                clients.Add(outcome);
            }
        }
    }

    /// <summary>One connect attempt from the client namespace, closed at once; the outcome is recorded and returned.</summary>
    public ClientOutcome ConnectOnce(int client, System.Net.IPEndPoint server, TimeSpan timeout)
    {
        Step($"client {client} connects to {server} (gives up after {timeout.TotalSeconds:0.#} s)");
        ClientOutcome outcome = Topology.Client.Run(
            () =>
            {
                (System.Net.Sockets.Socket? s, ClientOutcome o) = LabSockets.Connect(client, server, timeout, Cancellation);
                s?.Dispose();
                return o;
            },
            "lab-client");
        Record(outcome);
        return outcome;
    }

    /// <summary>How many recorded clients numbered from <paramref name="firstClient"/> on match.</summary>
    public int Count(int firstClient, Func<ClientOutcome, bool> match)
    {
        lock (clients)
        {
            return clients.Count(c => c.Client >= firstClient && match(c));
        }
    }

    /// <summary>Takes the socket tables of both namespaces now (the report shows this moment).</summary>
    public void SnapshotSockets() => sockets = ReadSockets();

    /// <summary>Waits, but returns early (throwing) when the run is cancelled.</summary>
    public void Pause(TimeSpan t)
    {
        if (t >= TimeSpan.FromSeconds(1))
        {
            Step($"waiting {t.TotalSeconds:0.#} s");
        }

        if (Cancellation.WaitHandle.WaitOne(t))
        {
            Cancellation.ThrowIfCancellationRequested();
        }
    }

    /// <summary>An option's value, or the scenario's default, capped so every run stays bounded.</summary>
    public TimeSpan TimeoutOr(TimeSpan fallback)
    {
        TimeSpan t = Options.Timeout ?? fallback;
        return t < LabOptions.MaxTimeout ? t : LabOptions.MaxTimeout;
    }

    /// <summary>The socket table of one namespace now (without making it the reported snapshot).</summary>
    public IReadOnlyList<SocketEntry> SocketsNow(string role)
    {
        NetworkNamespace ns = role switch
        {
            ClientRole => Topology.Client,
            ServerRole => Topology.Server,
            _ => extras.Single(x => x.Role == role).Ns,
        };
        return ns.Run(() => SockDiag.ReadCurrentNamespace(enums), "sock-diag");
    }

    private static CounterSnapshot Counters(NetworkNamespace ns) => ns.Run(ProcNetCounters.ReadCurrentNamespace);

    private Dictionary<string, IReadOnlyList<SocketEntry>> ReadSockets() =>
        new[] { ClientRole, ServerRole }.Concat(extras.Select(x => x.Role)).ToDictionary(r => r, SocketsNow);
}
