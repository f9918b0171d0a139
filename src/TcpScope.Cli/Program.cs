namespace TcpScope.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        Host.TerminationSignals.Unignore();
        return CliApp.Run(args, CliConsole.ForProcess());
    }
}
