using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using TcpScope.Lab;

namespace TcpScope.IntegrationTests;

/// <summary>
/// The README's privileges are enough: a user that is not root, whose copy of the binary has
/// exactly the README's `setcap cap_bpf,cap_perfmon+ep`, runs every tracing verb and sees a
/// connection made in a namespace.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class UnprivilegedTracingTests
{
    [PrivilegedTheory]
    [InlineData("states", "state")]
    [InlineData("life", "life")]
    [InlineData("connect", "connect")]
    public void A_tracing_verb_works_for_a_user_with_only_the_capabilities_the_readme_names(string verb, string type)
    {
        string dir = Directory.CreateTempSubdirectory("tcpscope-caps-").FullName;
        try
        {
            string binary = CopyWithCapabilities(dir, "cap_bpf,cap_perfmon+ep");
            using NetworkNamespace ns = NetworkNamespace.Create("ts-caps");
            var psi = new ProcessStartInfo("setpriv") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = "/" };
            foreach (string a in (string[])["--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", binary, verb, "--json", "--netns", ns.Inode.ToString(CultureInfo.InvariantCulture)])
            {
                psi.ArgumentList.Add(a);
            }

            using Process p = Process.Start(psi)!;
            try
            {
                string? first = p.StandardError.ReadLine();
                if (first?.Contains("tracing via", StringComparison.Ordinal) != true)
                {
                    p.WaitForExit(10_000);
                    Assert.Fail($"`tcpscope {verb}` as uid 65534 did not attach: {first}\n{p.StandardError.ReadToEnd()}");
                }

                Task<string> stdout = p.StandardOutput.ReadToEndAsync();
                LoopbackExchange.Endpoints ends = ns.Run(() => LoopbackExchange.Run(IPAddress.Loopback, "a"u8.ToArray(), "b"u8.ToArray()));
                Thread.Sleep(200);
                using (Process.Start("kill", ["-INT", p.Id.ToString(CultureInfo.InvariantCulture)])!)
                {
                }

                Assert.True(p.WaitForExit(15_000), "tcpscope did not exit within 15 s of SIGINT");
                Assert.Equal(0, p.ExitCode);
                List<JsonElement> records = [.. stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).Where(l => l.GetProperty("type").GetString() == type)];
                Assert.Contains(records, r => r.GetProperty("lport").GetInt32() == ends.Client.Port && r.GetProperty("pid").GetInt32() == Environment.ProcessId);
            }
            finally
            {
                if (!p.HasExited)
                {
                    p.Kill();
                }
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string CopyWithCapabilities(string dir, string caps)
    {
        string? bin = Environment.GetEnvironmentVariable("TCPSCOPE_BIN");
        Assert.False(string.IsNullOrEmpty(bin), "this test gives the published binary file capabilities: set TCPSCOPE_BIN (scripts/test.sh does)");
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        string copy = Path.Combine(dir, "tcpscope");
        File.Copy(bin!, copy);
        var setcap = new ProcessStartInfo("setcap") { RedirectStandardError = true, RedirectStandardOutput = true };
        setcap.ArgumentList.Add(caps);
        setcap.ArgumentList.Add(copy);
        (int code, _, string err) = Tool.Run(setcap, TimeSpan.FromSeconds(10));
        Assert.True(code == 0, $"setcap {caps} failed: {err}");
        return copy;
    }
}
