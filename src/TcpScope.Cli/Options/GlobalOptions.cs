using System.CommandLine;

namespace TcpScope.Cli;

public static class GlobalOptions
{
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Show libbpf's messages, full verifier logs and stack traces on errors",
        Recursive = true,
    };
}
