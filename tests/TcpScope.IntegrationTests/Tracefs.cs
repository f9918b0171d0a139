using System.Diagnostics;
using TcpScope.Host;

namespace TcpScope.IntegrationTests;

/// <summary>Classic tracepoints are looked up in tracefs; mount it when the machine has not.</summary>
internal static class Tracefs
{
    private static readonly Lock Gate = new();

    public static void EnsureMounted()
    {
        lock (Gate)
        {
            if (KernelInfo.TracefsMount() is not null)
            {
                return;
            }

            using Process p = Process.Start("mount", ["-t", "tracefs", "nodev", "/sys/kernel/tracing"])!;
            p.WaitForExit(10_000);
            Assert.True(KernelInfo.TracefsMount() is not null, "could not mount tracefs at /sys/kernel/tracing");
        }
    }
}
