using System.Diagnostics;
using System.Runtime.InteropServices;
using TcpScope.Host;
using TcpScope.Interop;

namespace TcpScope.Lab;

/// <summary>
/// A network namespace this process created (`ip netns add`), with loopback up, removed on
/// dispose. Code runs inside it on a dedicated thread that joined it with setns(2), so the
/// sockets that code creates live in the namespace while the rest of the process does not move.
/// </summary>
public sealed class NetworkNamespace : IDisposable
{
    private bool disposed;

    private NetworkNamespace(string name, uint inode)
    {
        Name = name;
        Inode = inode;
    }

    public string Name { get; }

    /// <summary>The namespace's inode number, as events report it.</summary>
    public uint Inode { get; }

    /// <summary>Creates "PREFIX-PID-N", unique on this host. Needs CAP_SYS_ADMIN and iproute2.</summary>
    public static NetworkNamespace Create(string prefix)
    {
        string name = $"{prefix}-{Environment.ProcessId}-{Interlocked.Increment(ref counter)}";
        Ip("netns", "add", name);
        try
        {
            Ip("-n", name, "link", "set", "lo", "up");
            uint inode = NetworkNamespaces.Resolve(name) ?? throw new InvalidOperationException($"netns {name} vanished");
            return new NetworkNamespace(name, inode);
        }
        catch
        {
            TryIp("netns", "del", name);
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> inside the namespace on a thread of its own and returns its result.</summary>
    public T Run<T>(Func<T> work, string? threadName = null)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Enter();
                result = work();
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        { IsBackground = true, Name = threadName ?? "netns-worker" };
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        return result;
    }

    /// <summary>Starts <paramref name="work"/> inside the namespace on a background thread.</summary>
    public Task RunInBackground(Action work, string? threadName = null)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Enter();
                work();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        { IsBackground = true, Name = threadName ?? "netns-worker" };
        thread.Start();
        return done.Task;
    }

    /// <summary>Sets a sysctl inside this namespace only ("net.ipv4.tcp_fin_timeout", "5").</summary>
    public void SetSysctl(string key, string value) =>
        Run(() =>
        {
            File.WriteAllText("/proc/sys/" + key.Replace('.', '/'), value);
            return 0;
        });

    public void Dispose()
    {
        if (!disposed)
        {
            disposed = true;
            TryIp("netns", "del", Name);
        }
    }

    private static int counter;

    private void Enter()
    {
        using var fd = File.OpenHandle(Path.Combine(NetworkNamespaces.NamedDirectory, Name));
        if (LibC.setns((int)fd.DangerousGetHandle(), LibC.CLONE_NEWNET) != 0)
        {
            throw new InvalidOperationException($"setns into {Name}: {Errors.Describe(Marshal.GetLastPInvokeError())}");
        }
    }

    /// <summary>Runs `ip -n NAME ARGS...` (iproute2) for this namespace.</summary>
    public void IpIn(params string[] args) => Ip(["-n", Name, .. args]);

    /// <summary>Runs a program inside this namespace (`ip netns exec`), e.g. iptables or tc; throws on failure.</summary>
    public string Exec(params string[] command)
    {
        HostTools.Require(command[0]); // else ip's "exec of ... failed" would hide which package is missing
        (int code, string output, string err) = RunTool("ip", ["netns", "exec", Name, .. command]);
        if (code != 0 && HostTools.IsPermissionDenied(err))
        {
            throw new ToolPermissionException($"{string.Join(' ', command)} in {Name}", err.Trim());
        }

        if (code != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', command)} in {Name} failed ({code}): {err.Trim()}");
        }

        return output;
    }

    /// <summary>Runs iproute2's ip; throws on failure.</summary>
    public static void Ip(params string[] args)
    {
        (int code, _, string err) = RunTool("ip", args);
        if (code != 0 && HostTools.IsPermissionDenied(err))
        {
            throw new ToolPermissionException($"ip {string.Join(' ', args)}", err.Trim());
        }

        if (code != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', args)} failed ({code}): {err.Trim()}");
        }
    }

    private static void TryIp(params string[] args) => RunTool("ip", args);

    private static (int Code, string Stdout, string Stderr) RunTool(string tool, string[] args)
    {
        var psi = new ProcessStartInfo(HostTools.Require(tool)) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {tool}");
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(10_000))
        {
            p.Kill();
            return (-1, "", "timed out after 10 s");
        }

        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
