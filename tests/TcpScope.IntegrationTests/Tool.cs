using System.Diagnostics;

namespace TcpScope.IntegrationTests;

/// <summary>
/// The tcpscope executable as a user runs it: the NativeAOT binary when TCPSCOPE_BIN names
/// it (scripts/test.sh publishes it first), else the build output run by dotnet.
/// </summary>
internal static class Tool
{
    public static ProcessStartInfo StartInfo(params string[] args)
    {
        string? bin = Environment.GetEnvironmentVariable("TCPSCOPE_BIN");
        ProcessStartInfo psi;
        if (!string.IsNullOrEmpty(bin))
        {
            psi = new ProcessStartInfo(bin);
        }
        else
        {
            psi = new ProcessStartInfo("dotnet");
            psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "tcpscope.dll"));
        }

        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        return psi;
    }

    /// <summary>Runs to completion (bounded) and returns exit code and both outputs.</summary>
    public static (int Code, string Out, string Err) Run(ProcessStartInfo psi, TimeSpan timeout)
    {
        using Process p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{psi.FileName} {string.Join(' ', psi.ArgumentList)} did not finish in {timeout}");
        }

        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
