using System.Runtime.InteropServices;
using System.Text;
using TcpScope.Interop;

namespace TcpScope.Bpf;

/// <summary>
/// What libbpf prints (warnings, the verifier log on a failed load), kept in memory instead of
/// going to stderr: errors show its tail, <c>--verbose</c> shows all of it.
/// </summary>
public static unsafe class LibbpfLog
{
    private const int MaxMessages = 256;
    private const int MessageBuffer = 1 << 20; // a verifier log arrives as one message
    private static readonly Lock Gate = new();
    private static readonly Queue<string> Messages = new();
    private static byte* buffer;

    /// <summary>When set, every message also goes to this writer as it arrives.</summary>
    public static TextWriter? Echo { get; set; }

    /// <summary>Messages since the last <see cref="Clear"/>, oldest first.</summary>
    public static string[] Snapshot()
    {
        lock (Gate)
        {
            return [.. Messages];
        }
    }

    public static void Clear()
    {
        lock (Gate)
        {
            Messages.Clear();
        }
    }

    internal static void Install()
    {
        // Formatting through vsnprintf needs va_list to be the pointer it decays to, true on
        // x86-64 and arm64 Linux; elsewhere libbpf stays silent rather than risk a bad read.
        if (RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64))
        {
            Libbpf.libbpf_set_print(null);
            return;
        }

        buffer = (byte*)NativeMemory.Alloc(MessageBuffer);
        Libbpf.libbpf_set_print(&OnPrint);
    }

    [UnmanagedCallersOnly]
    private static int OnPrint(int level, byte* format, nint args)
    {
        try
        {
            string text;
            lock (Gate)
            {
                int n = LibC.vsnprintf(buffer, MessageBuffer, format, args);
                if (n < 0)
                {
                    return 0;
                }

                text = Encoding.UTF8.GetString(buffer, Math.Min(n, MessageBuffer - 1));
                Messages.Enqueue(text);
                while (Messages.Count > MaxMessages)
                {
                    Messages.Dequeue();
                }
            }

            Echo?.Write(text);
        }
        catch
        {
            // an exception must not unwind into libbpf's C frames
        }

        return 0;
    }
}
