using System.Net;
using TcpScope.Decode;
using TcpScope.Lab;
using TcpScope.Output;
using TcpScope.Probes;
using TcpScope.Sessions;
using TcpScope.Sources;

namespace TcpScope.Cli.Verbs;

/// <summary>`tcpscope demo` as a plain method: a namespace, a traced conversation, teardown.</summary>
public static class DemoVerb
{
    public static int Run(bool json, CliConsole console, CancellationToken cancellation)
    {
        Privileges.RequireTracing();
        Privileges.RequireNamespaceAdmin();
        Privileges.RequireKernelBtf();
        using Interruption stop = new(cancellation, TimeSpan.FromSeconds(30)); // from here on a signal removes the namespace
        using NetworkNamespace ns = NetworkNamespace.Create("tcpscope-demo");
        console.Error.WriteLine(
            $"tcpscope: demo in network namespace {ns.Name} (inode {ns.Inode}): a client sends a request over "
            + "127.0.0.1, then over [::1], reads the reply and closes first; the server closes after it.");
        KernelEnums enums = KernelEnums.FromKernel();
        using ProbeSetSource source = ProbeSetSource.Start(StatesVerb.Core, [], new StatesFilter { NetNs = ns.Inode }, new TraceOptions(), () => enums);
        foreach (string degraded in source.Degraded)
        {
            console.Error.WriteLine($"tcpscope: {degraded}");
        }

        using IEventRenderer renderer = StatesVerb.CreateRenderer(new StatesSettings { Json = json }, console, source.WallOffsetNs);

        Task traffic = ns.RunInBackground(() =>
        {
            byte[] request = "GET / HTTP/1.0\r\n\r\n"u8.ToArray();
            byte[] reply = "HTTP/1.0 200 OK\r\n\r\nhello\n"u8.ToArray();
            LoopbackExchange.Run(IPAddress.Loopback, request, reply);
            LoopbackExchange.Run(IPAddress.IPv6Loopback, request, reply);
        }, threadName: "demo-client");
        traffic.ContinueWith(_ => stop.Cancel(), TaskScheduler.Default);
        Session.Run(
            new SessionPlan { Source = source, Report = renderer, EventViews = [renderer], Rules = StatesVerb.Rules, OutputClosed = console.OutputClosed },
            stop.Token);
        if (stop.Signal is { } signal)
        {
            console.Error.WriteLine($"tcpscope: demo interrupted by {Interruption.Name(signal)}; its namespace is removed");
            return ExitCodes.Interrupted(signal);
        }

        if (!traffic.IsCompleted && console.OutputClosed())
        {
            return ExitCodes.Ok; // `| head` had enough
        }

        if (!traffic.IsCompleted)
        {
            throw new CliException("the demo connection did not finish within 30 s", ExitCodes.Failure);
        }

        traffic.GetAwaiter().GetResult();
        return ExitCodes.Ok;
    }
}
