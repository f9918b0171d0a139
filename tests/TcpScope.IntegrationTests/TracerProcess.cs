using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace TcpScope.IntegrationTests;

/// <summary>A tracing verb of the tcpscope binary running beside a test: attached when started, signalled, its JSON lines read at the end.</summary>
internal sealed class TracerProcess : IDisposable
{
    private readonly Process p;
    private readonly Task<string> stdout;
    private readonly Task<string> stderr;

    private TracerProcess(Process p, Task<string> stdout, Task<string> stderr)
    {
        this.p = p;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public int Pid => p.Id;

    /// <summary>Starts and waits until its programs are attached (its "tracing via" line).</summary>
    public static TracerProcess Start(params string[] args)
    {
        Process p = Process.Start(Tool.StartInfo(args))!;
        string? first = p.StandardError.ReadLine();
        if (first is null || !first.Contains("tracing via", StringComparison.Ordinal))
        {
            string rest = p.StandardError.ReadToEnd();
            p.Kill();
            throw new InvalidOperationException($"tcpscope {string.Join(' ', args)} did not attach: {first}\n{rest}");
        }

        return new TracerProcess(p, p.StandardOutput.ReadToEndAsync(), p.StandardError.ReadToEndAsync());
    }

    /// <summary>SIGSTOP: the reader stops draining while the kernel keeps producing (the ring fills, events are lost).</summary>
    public void Freeze() => Signal("STOP");

    public void Thaw() => Signal("CONT");

    /// <summary>Ctrl-C, then waits for its exit and returns its JSON lines and stderr.</summary>
    public (List<JsonElement> Lines, string Stderr) Finish()
    {
        Signal("INT");
        Assert.True(p.WaitForExit(20_000), "tcpscope did not exit within 20 s of SIGINT");
        Assert.Equal(0, p.ExitCode);
        List<JsonElement> lines = [.. stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)];
        return (lines, stderr.Result);
    }

    public void Dispose()
    {
        if (!p.HasExited)
        {
            Signal("CONT");
            p.Kill();
            p.WaitForExit(5000);
        }

        p.Dispose();
    }

    private void Signal(string name)
    {
        using Process kill = Process.Start("kill", ["-" + name, p.Id.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }
}
