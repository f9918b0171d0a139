using System.CommandLine;
using TcpScope.Bpf;
using TcpScope.Cli.Verbs;

namespace TcpScope.Cli;

/// <summary>Builds the command tree, runs the chosen verb and turns every error into a message and an exit code.</summary>
public static class CliApp
{
    public static RootCommand BuildRoot(CliConsole console)
    {
        var root = new RootCommand(
            "TcpScope finds out why TCP connections fail on this host and says so in plain words. "
            + "It traces the kernel with eBPF (tracepoints, CO-RE) and reads its counters and socket tables.")
        {
            GlobalOptions.Verbose,
        };
        root.Subcommands.Add(StatesCommand.Create(console));
        root.Subcommands.Add(DropsCommand.Create(console));
        root.Subcommands.Add(ConnectionsCommand.CreateLife(console));
        root.Subcommands.Add(ConnectionsCommand.CreateConnect(console));
        root.Subcommands.Add(RecordCommand.Create(console));
        root.Subcommands.Add(DoctorCommand.Create(console));
        root.Subcommands.Add(DemoCommand.Create(console));
        root.Subcommands.Add(LabCommand.Create(console));

        // the default width comes from Console.WindowWidth, whose terminal set-up writes the
        // keypad transmit mode (ESC[?1h ESC=) to the terminal and never resets it
        foreach (System.CommandLine.Help.HelpAction help in root.Options.Select(o => o.Action).OfType<System.CommandLine.Help.HelpAction>())
        {
            help.MaxWidth = console.Columns ?? int.MaxValue;
        }

        return root;
    }

    public static int Run(string[] args, TextWriter output, TextWriter error) =>
        Run(args, new CliConsole(output, error));

    public static int Run(string[] args, CliConsole console)
    {
        RootCommand root = BuildRoot(console);
        ParseResult parsed = root.Parse(args);
        bool verbose = parsed.GetValue(GlobalOptions.Verbose);
        if (parsed.Errors.Count > 0)
        {
            foreach (System.CommandLine.Parsing.ParseError e in parsed.Errors)
            {
                console.Error.WriteLine($"tcpscope: {e.Message}");
            }

            console.Error.WriteLine($"Try '{VerbPath(parsed)} --help'.");
            return ExitCodes.Usage;
        }

        if (verbose)
        {
            LibbpfLog.Echo = console.Error;
        }

        try
        {
            return parsed.Invoke(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                Output = console.Out,
                Error = console.Error,
            });
        }
        catch (Exception e)
        {
            CliException ce = ErrorTranslation.ToCliException(e);
            console.Error.WriteLine($"tcpscope: {ce.Message}");
            if (verbose)
            {
                if (ce.Details is not null)
                {
                    console.Error.WriteLine(ce.Details);
                }

                console.Error.WriteLine(e);
            }
            else if (ce.Details is not null)
            {
                console.Error.WriteLine("(run with --verbose for the full log)");
            }

            return ce.ExitCode;
        }
    }

    private static string VerbPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (System.CommandLine.Parsing.SymbolResult? r = parsed.CommandResult; r is not null; r = r.Parent)
        {
            if (r is System.CommandLine.Parsing.CommandResult c)
            {
                names.Insert(0, c.Command is RootCommand ? "tcpscope" : c.Command.Name);
            }
        }

        return string.Join(' ', names);
    }
}
