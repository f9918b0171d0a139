using System.Diagnostics;
using System.Globalization;

namespace TcpScope.IntegrationTests;

/// <summary>
/// The byte-identical promise: `X --json --record F` beside a lab, then `X --json --from F`,
/// print the same bytes (times, findings and summary included), for states, life and connect.
/// </summary>
public sealed class RecordReplayTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("tcpscope-replay-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static readonly string[][] Verbs =
    [
        ["states", "--close-wait-threshold", "0.2"],
        ["life", "--close-wait-threshold", "0.2"],
        ["connect"],
    ];

    [PrivilegedTheory]
    [InlineData("connect-timeout", "connect", "TCP-CONNECT-TIMEOUT")]
    [InlineData("refused", "connect", "TCP-CONNECT-REFUSED")]
    [InlineData("close-wait-leak", "life", "TCP-CLOSE-WAIT-LEAK")]
    [InlineData("close-wait-leak", "states", "TCP-CLOSE-WAIT-LEAK")]
    [InlineData("normal", "life", "\"event\":\"accept\"")]
    public void Live_with_record_and_replay_from_print_the_same_bytes(string scenario, string witnessVerb, string witness)
    {
        var live = new List<(string[] Args, string File, Process P, Task<string> Out, Task<string> Err)>();
        try
        {
            foreach (string[] v in Verbs)
            {
                string file = Path.Combine(dir, v[0] + ".tsrec");
                Process p = Process.Start(Tool.StartInfo([.. v, "--json", "--record", file]))!;
                string? first = p.StandardError.ReadLine();
                Assert.True(first?.Contains("tracing via", StringComparison.Ordinal), $"{v[0]} did not attach: {first}");
                live.Add((v, file, p, p.StandardOutput.ReadToEndAsync(), p.StandardError.ReadToEndAsync()));
            }

            (int labCode, _, string labErr) = Tool.Run(Tool.StartInfo("lab", scenario), TimeSpan.FromSeconds(120));
            Assert.True(labCode == 0, $"lab {scenario} failed: {labErr}");
            Thread.Sleep(300); // past the findings' and milestones' batch

            foreach ((_, _, Process p, _, _) in live)
            {
                Signal(p, "INT");
            }

            foreach ((string[] args, string file, Process p, Task<string> stdout, Task<string> stderr) in live)
            {
                Assert.True(p.WaitForExit(20_000), $"{args[0]} did not exit within 20 s of SIGINT");
                Assert.Equal(0, p.ExitCode);
                Assert.Contains($"tcpscope: wrote {file}:", stderr.Result);
                string liveOut = stdout.Result;
                Assert.Contains("\"type\":\"summary\"", liveOut);

                (int code, string replayOut, string replayErr) = Tool.Run(Tool.StartInfo([.. args, "--json", "--from", file]), TimeSpan.FromSeconds(60));

                Assert.True(code == 0, $"{args[0]} --from exited {code}: {replayErr}");
                Assert.Equal(liveOut, replayOut);
                if (args[0] == witnessVerb)
                {
                    Assert.Contains(witness, liveOut);
                }
            }
        }
        finally
        {
            foreach ((_, _, Process p, _, _) in live)
            {
                if (!p.HasExited)
                {
                    p.Kill();
                    p.WaitForExit(5000);
                }

                p.Dispose();
            }
        }
    }

    [PrivilegedFact]
    public void Record_ends_on_ctrl_c_with_a_valid_file_and_says_what_it_wrote_and_lost()
    {
        string file = Path.Combine(dir, "r.tsrec");
        using Process p = Process.Start(Tool.StartInfo("record", "-o", file))!;
        Assert.Contains("tracing via", p.StandardError.ReadLine());
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        (int labCode, _, _) = Tool.Run(Tool.StartInfo("lab", "refused"), TimeSpan.FromSeconds(120));
        Assert.Equal(0, labCode);
        Signal(p, "INT");
        Assert.True(p.WaitForExit(20_000), "record did not exit within 20 s of SIGINT");

        Assert.Equal(0, p.ExitCode);
        string last = stderr.Result.TrimEnd('\n').Split('\n')[^1];
        Assert.Matches($"^tcpscope: wrote {System.Text.RegularExpressions.Regex.Escape(file)}: [1-9][0-9]* records in [1-9][0-9]* batches, [0-9]+ bytes; 0 lost$", last);
        (int code, string replayOut, string replayErr) = Tool.Run(Tool.StartInfo("connect", "--json", "--from", file), TimeSpan.FromSeconds(60));
        Assert.True(code == 0, replayErr);
        Assert.Contains("TCP-CONNECT-REFUSED", replayOut);
    }

    private static void Signal(Process p, string name)
    {
        using Process kill = Process.Start("kill", ["-" + name, p.Id.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit(5000);
    }
}
