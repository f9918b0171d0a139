using TcpScope.Lab;
using TcpScope.Sources.Sockets;

namespace TcpScope.Output;

/// <summary>A lab run in plain words: the story, each client's outcome, counters that moved, the sockets.</summary>
public static class LabResultText
{
    public static void Write(TextWriter w, LabResult r)
    {
        w.WriteLine($"lab {r.Scenario} ({r.Variant}), {r.Duration.TotalSeconds:0.0} s");
        foreach (string s in r.Story)
        {
            w.WriteLine($"  {s}");
        }

        w.WriteLine("clients");
        foreach (ClientOutcome c in r.Clients)
        {
            w.WriteLine($"  {c}");
        }

        foreach (NamespaceReport n in r.Namespaces)
        {
            w.WriteLine($"{n.Role} namespace {n.Name} (inode {n.Inode})");
            string[] moved = [.. n.CounterDeltas.Where(p => Interesting(p.Key)).Select(p => $"{p.Key} {p.Value:+#;-#}")];
            w.WriteLine(moved.Length == 0 ? "  counters: nothing of note moved" : "  counters: " + string.Join(", ", moved));
            foreach (SocketEntry s in n.Sockets)
            {
                w.WriteLine($"  socket: {s}");
            }
        }
    }

    /// <summary>Leaves out the counters that move in every run (segments, packets) to keep the text short; JSON has all.</summary>
    private static bool Interesting(string name) =>
        !name.StartsWith("Ip", StringComparison.Ordinal) && name is not ("TcpInSegs" or "TcpOutSegs" or "TcpExtTCPPureAcks" or "TcpExtTCPHPAcks" or "TcpExtTCPHPHits" or "TcpExtTCPOrigDataSent" or "TcpExtTCPDelivered" or "TcpExtTCPAutoCorking" or "TcpExtTCPRcvCoalesce" or "TcpActiveOpens" or "TcpPassiveOpens" or "TcpCurrEstab");
}
