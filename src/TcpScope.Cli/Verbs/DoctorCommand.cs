using System.CommandLine;

namespace TcpScope.Cli.Verbs;

/// <summary>`tcpscope doctor`: binds the options, then calls <see cref="DoctorVerb.Run"/>.</summary>
public static class DoctorCommand
{
    public static Command Create(CliConsole console)
    {
        var json = new Option<bool>("--json") { Description = "The report as one JSON object" };
        var c = new Command(
            "doctor",
            "What this host can do: kernel, BTF, libbpf, capabilities, tracefs, and for every probe TcpScope "
            + "ships whether it loads and attaches here (and why not). Exit code 0 when the core probes work, "
            + $"{ExitCodes.Unavailable} when they do not, {ExitCodes.NoPermission} when privileges are missing.")
        {
            json,
        };
        c.SetAction(r => DoctorVerb.Run(r.GetValue(json), console));
        return c;
    }
}
