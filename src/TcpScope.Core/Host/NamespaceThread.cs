using System.Runtime.InteropServices;
using TcpScope.Interop;

namespace TcpScope.Host;

/// <summary>
/// Runs code inside another network namespace on a thread of its own that joined it with
/// setns(2), so the rest of the process stays where it is. Sockets created there stay in that
/// namespace after the thread ends.
/// </summary>
public static class NamespaceThread
{
    /// <summary>
    /// Runs <paramref name="work"/> in the namespace of <paramref name="namespaceFile"/> (a name
    /// under /run/netns, or a path such as /proc/PID/ns/net) and returns its result.
    /// </summary>
    public static T Run<T>(string namespaceFile, Func<T> work, string threadName = "netns-worker")
    {
        string path = namespaceFile.Contains('/') ? namespaceFile : Path.Combine(NetworkNamespaces.NamedDirectory, namespaceFile);
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Enter(path);
                result = work();
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        { IsBackground = true, Name = threadName };
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        return result;
    }

    /// <summary>Moves the calling thread into the network namespace of <paramref name="path"/>.</summary>
    public static void Enter(string path)
    {
        using var fd = File.OpenHandle(path);
        if (LibC.setns((int)fd.DangerousGetHandle(), LibC.CLONE_NEWNET) != 0)
        {
            throw new InvalidOperationException($"setns into {path}: {Errors.Describe(Marshal.GetLastPInvokeError())}");
        }
    }
}
