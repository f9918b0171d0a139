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
        try
        {
            result = LabRun.Execute(scenario, options, stop.Token);
        }
        catch (OperationCanceledException) when (stop.Token.IsCancellationRequested)
        {
            console.Error.WriteLine("tcpscope: lab interrupted; its namespaces were removed");
            return ExitCodes.Ok;
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
