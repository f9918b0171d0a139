using System.Runtime.InteropServices;
using TcpScope.Interop;

namespace TcpScope.Host;

/// <summary>
/// Classic tracepoints (the syscall ones among them) are found through tracefs: libbpf reads
/// their ids there. Mounting it is what `mount -t tracefs nodev /sys/kernel/tracing` does.
/// </summary>
public static class Tracefs
{
    public const string DefaultMount = "/sys/kernel/tracing";

    private static readonly Lock Gate = new();

    /// <summary>
    /// Whether this process can look inside tracefs: it is mode 0700 on many hosts, so a user
    /// with CAP_BPF and CAP_PERFMON alone cannot (CAP_DAC_READ_SEARCH or root can).
    /// </summary>
    public static bool IsReadable() =>
        KernelInfo.TracefsMount() is string mount && Directory.Exists(Path.Combine(mount, "events"));

    /// <summary>Mounts tracefs at <see cref="DefaultMount"/> unless it is mounted; true if this call mounted it.</summary>
    /// <exception cref="IOException">The mount failed (the message says why and what to run).</exception>
    public static bool EnsureMounted()
    {
        lock (Gate)
        {
            if (KernelInfo.TracefsMount() is not null)
            {
                return false;
            }

            if (LibC.mount("nodev", DefaultMount, "tracefs", 0, 0) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                throw new IOException(
                    $"tracefs is not mounted and mounting it at {DefaultMount} failed ({Errors.Describe(errno)}); "
                    + $"the syscall tracepoints need it: mount -t tracefs nodev {DefaultMount}");
            }

            return true;
        }
    }
}
