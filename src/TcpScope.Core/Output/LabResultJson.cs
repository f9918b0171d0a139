using System.Text.Json;
using TcpScope.Lab;
using TcpScope.Sources.Sockets;

namespace TcpScope.Output;

/// <summary>A lab run as one JSON object (one line).</summary>
public static class LabResultJson
{
    public static void Write(Stream output, LabResult r)
    {
        using (var j = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            j.WriteStartObject();
            j.WriteString("type", "lab");
            j.WriteString("scenario", r.Scenario);
            j.WriteString("variant", r.Variant);
            j.WriteNumber("seconds", Math.Round(r.Duration.TotalSeconds, 3));
            j.WriteStartArray("story");
            r.Story.ToList().ForEach(j.WriteStringValue);
            j.WriteEndArray();
            j.WriteStartObject("facts");
            foreach ((string k, string v) in r.Facts)
            {
                j.WriteString(k, v);
            }

            j.WriteEndObject();
            j.WriteStartArray("clients");
            foreach (ClientOutcome c in r.Clients)
            {
                j.WriteStartObject();
                j.WriteNumber("client", c.Client);
                j.WriteString("outcome", Snake(c.Outcome.ToString()));
                j.WriteNumber("seconds", Math.Round(c.Elapsed.TotalSeconds, 4));
                j.WriteNumber("local_port", c.LocalPort);
                j.WriteString("comm", c.Comm);
                j.WriteString("error", c.Error);
                j.WriteEndObject();
            }

            j.WriteEndArray();
            j.WriteStartArray("namespaces");
            foreach (NamespaceReport n in r.Namespaces)
            {
                j.WriteStartObject();
                j.WriteString("role", n.Role);
                j.WriteString("name", n.Name);
                j.WriteNumber("inode", n.Inode);
                j.WriteStartObject("counter_deltas");
                foreach ((string k, long v) in n.CounterDeltas)
                {
                    j.WriteNumber(k, v);
                }

                j.WriteEndObject();
                j.WriteStartArray("sockets");
                foreach (SocketEntry s in n.Sockets)
                {
                    j.WriteStartObject();
                    j.WriteString("state", s.State.ToString());
                    j.WriteString("local", s.Local.ToString());
                    j.WriteString("remote", s.Remote.ToString());
                    j.WriteNumber("send_q", s.SendQueue);
                    j.WriteNumber("recv_q", s.ReceiveQueue);
                    j.WriteEndObject();
                }

                j.WriteEndArray();
                j.WriteEndObject();
            }

            j.WriteEndArray();
            j.WriteEndObject();
        }

        output.WriteByte((byte)'\n');
        output.Flush();
    }

    private static string Snake(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
