using System.Diagnostics;
using TcpScope.Bpf;
using TcpScope.Cli;
using TcpScope.Host;

namespace TcpScope.IntegrationTests;

/// <summary>
/// A program the verifier refuses, compiled here with the same clang the build uses:
/// the error must carry the verifier's own words, and the CLI must map it to exit 70
/// with the full log kept for --verbose.
/// </summary>
public class VerifierRejectionTests
{
    // Dereferences a pointer taken from a classic tracepoint record, which the verifier
    // rejects ("invalid mem access"): the mistake DESIGN.md warns about.
    private const string BadProgram = """
        typedef unsigned long long __u64;
        #define SEC(n) __attribute__((section(n), used))
        SEC("tracepoint/sock/inet_sock_set_state")
        int bad(void *ctx)
        {
            const int *sk = *(const int **)((char *)ctx + 8);
            return *sk;
        }
        char LICENSE[] SEC("license") = "GPL";
        """;

    [PrivilegedFact]
    public void A_rejected_program_reports_the_verifier_lines_and_keeps_the_full_log()
    {
        Tracefs.EnsureMounted();
        byte[] elf = Compile(BadProgram);

        using BpfObject obj = BpfObject.Open("bad", elf);
        BpfLoadException e = Assert.Throws<BpfLoadException>(obj.Load);

        Assert.True(e.VerifierRejected, e.Message);
        Assert.Contains("invalid mem access", e.Message);
        Assert.Contains("-- BEGIN PROG LOAD LOG --", e.Log);

        CliException cli = ErrorTranslation.ToCliException(e);
        Assert.Equal(ExitCodes.VerifierRejected, cli.ExitCode);
        Assert.Equal(e.Log, cli.Details);
    }

    private static byte[] Compile(string source)
    {
        string dir = Directory.CreateTempSubdirectory("tcpscope-verifier").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "bad.bpf.c"), source);
            var psi = new ProcessStartInfo("clang", ["-O2", "-g", "-target", "bpf", "-c", "bad.bpf.c", "-o", "bad.bpf.o"])
            {
                WorkingDirectory = dir,
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            (int code, _, string err) = Tool.Run(psi, TimeSpan.FromSeconds(60));
            Assert.True(code == 0, $"clang failed: {err}");
            return File.ReadAllBytes(Path.Combine(dir, "bad.bpf.o"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
