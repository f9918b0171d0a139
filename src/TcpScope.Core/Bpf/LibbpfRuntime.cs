using System.Runtime.InteropServices;
using TcpScope.Interop;

namespace TcpScope.Bpf;

/// <summary>
/// The process-wide libbpf: found, new enough (1.0 semantics), its log captured.
/// Call <see cref="EnsureReady"/> before any other libbpf use.
/// </summary>
public static class LibbpfRuntime
{
    private static readonly Lock Gate = new();
    private static Version? version;

    /// <summary>The loaded libbpf's version; throws <see cref="LibbpfUnavailableException"/>.</summary>
    public static Version EnsureReady()
    {
        lock (Gate)
        {
            if (version is not null)
            {
                return version;
            }

            Version v;
            try
            {
                v = new Version((int)Libbpf.libbpf_major_version(), (int)Libbpf.libbpf_minor_version());
            }
            catch (DllNotFoundException)
            {
                throw new LibbpfUnavailableException(
                    $"{Libbpf.Library} not found: install libbpf 1.0 or newer (Debian/Ubuntu: apt-get install libbpf1)");
            }
            catch (EntryPointNotFoundException)
            {
                throw new LibbpfUnavailableException(
                    $"{Libbpf.Library} is older than 0.6 (no libbpf_major_version): install libbpf 1.0 or newer");
            }

            if (v.Major < 1)
            {
                throw new LibbpfUnavailableException(
                    $"libbpf {v} found, 1.0 or newer is needed (its error conventions): install libbpf 1.0 or newer");
            }

            LibbpfLog.Install();
            version = v;
            return v;
        }
    }

    /// <summary>The version string libbpf reports ("v1.1"), or null when it cannot be loaded.</summary>
    public static unsafe string? TryVersionString()
    {
        try
        {
            return Marshal.PtrToStringUTF8((nint)Libbpf.libbpf_version_string());
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    public static int PossibleCpus()
    {
        int n = Libbpf.libbpf_num_possible_cpus();
        if (n <= 0)
        {
            throw new LibbpfException("libbpf_num_possible_cpus", -n);
        }

        return n;
    }
}
