using TcpScope.Lab;
using TcpScope.Output;

namespace TcpScope.Cli.Verbs;

/// <summary>`tcpscope lab` as plain methods.</summary>
public static class LabVerb
{
    public static int List(CliConsole console)
    {
        foreach (ILabScenario s in LabScenarios.All)
        {
            console.Out.WriteLine($"{s.Name} (variants: {string.Join(", ", s.Variants)})");
            console.Out.WriteLine($"  {s.Description}");
        }

        return ExitCodes.Ok;
    }

    public static int Run(ILabScenario scenario, LabOptions options, bool json, CliConsole console, CancellationToken cancellation)
    {
        Privileges.RequireNamespaceAdmin();
        using Interruption stop = new(cancellation);
        LabResult result;
        using (var status = new StatusLine(console.Error, console.ErrorIsTerminal))
        {
            try
            {
                result = LabRun.Execute(scenario, options, stop.Token, progress: status.Show);
            }
            catch (Exception) when (stop.Signal is not null)
            {
                status.Clear();
                console.Error.WriteLine($"tcpscope: lab {scenario.Name} interrupted by {Interruption.Name(stop.Signal.Value)}; its namespaces were removed");
                return ExitCodes.Interrupted(stop.Signal.Value);
            }
        }

        if (json)
        {
            LabResultJson.Write(console.OpenOutputStream(), result);
        }
        else
        {
            LabResultText.Write(console.Out, result);
            console.Out.Flush();
        }

        return ExitCodes.Ok;
    }
}
