using System.CommandLine;

namespace TcpScope.Cli.Verbs;

/// <summary>`tcpscope demo`: binds the options, then calls <see cref="DemoVerb.Run"/>.</summary>
public static class DemoCommand
{
    public static Command Create(CliConsole console)
    {
        var json = new Option<bool>("--json") { Description = "One JSON object per line, as `states --json`" };
        var c = new Command(
            "demo",
            "Shows `states` at work without touching the host's traffic: creates a throw-away network namespace, "
            + "runs one connection over 127.0.0.1 and one over [::1] inside it (request, reply, the client closes "
            + "first), prints every transition of both ends, and removes the namespace. Needs root.")
        {
            json,
        };
        c.SetAction(r => DemoVerb.Run(r.GetValue(json), console, CancellationToken.None));
        return c;
    }
}
