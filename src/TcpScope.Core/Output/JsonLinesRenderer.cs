using System.Text.Json;
using TcpScope.Decode;
using TcpScope.Diagnosis;

namespace TcpScope.Output;

/// <summary>
/// One JSON object per line: events ("type":"state"), findings ("type":"finding") and a
/// closing "type":"summary". Field names are stable; enums are written as names.
/// Written with Utf8JsonWriter into a reused buffer: no reflection, no allocation per event.
/// </summary>
public sealed class JsonLinesRenderer(Stream output, long wallOffsetNs) : IEventRenderer
{
    private readonly JsonLines lines = new(output, wallOffsetNs);

    public void WriteHeader()
    {
    }

    public void OnStateChange(in StateChange e)
    {
        Span<char> text = stackalloc char[AddressText.MaxLength];
        Utf8JsonWriter json = lines.Json;
        json.WriteStartObject();
        json.WriteString("type"u8, "state"u8);
        lines.WriteTime(e.TimestampNs);
        json.WriteNumber("netns"u8, e.NetNs);
        Span<char> hex = stackalloc char[18];
        "0x".CopyTo(hex);
        e.Socket.TryFormat(hex[2..], out int hw, "x16");
        json.WriteString("skaddr"u8, hex[..(2 + hw)]);
        json.WriteNumber("pid"u8, e.Pid);
        json.WriteString("comm"u8, CommText.Bytes(e.ProcessComm));
        json.WriteBoolean("owner_known"u8, e.OwnerKnown);
        json.WriteNumber("task_pid"u8, e.TaskPid);
        json.WriteString("task_comm"u8, CommText.Bytes(e.TaskComm));
        json.WriteString("family"u8, e.Family == AddressFamilyKind.IPv6 ? "ipv6"u8 : "ipv4"u8);
        json.WriteString("laddr"u8, text[..AddressText.Format(text, e.Family, e.LocalAddress)]);
        json.WriteNumber("lport"u8, e.LocalPort);
        json.WriteString("raddr"u8, text[..AddressText.Format(text, e.Family, e.RemoteAddress)]);
        json.WriteNumber("rport"u8, e.RemotePort);
        json.WriteString("oldstate"u8, StateNames.Of(e.OldState));
        json.WriteString("newstate"u8, StateNames.Of(e.NewState));
        if (e.DeltaKnown)
        {
            json.WriteNumber("ms"u8, Math.Round(e.DeltaNs / 1e6, 3));
        }
        else
        {
            json.WriteNull("ms"u8);
        }

        json.WriteEndObject();
        lines.EndLine();
    }

    public void WriteFinding(Finding f) => lines.WriteFinding(f);

    public void WriteSummary(RunSummary s) => lines.WriteSummary(s);

    public void OnIdle(long monotonicNowNs) => lines.Flush();

    // a view of transitions: the other kinds are the connection verbs' to show
    public void OnSocketEvent(in SocketEvent e)
    {
    }

    public void OnTotals(in SocketTotals e)
    {
    }

    public void OnIcmpError(in IcmpError e)
    {
    }

    public void OnStack(StackSample e)
    {
    }

    public void Flush() => lines.Flush();

    public void Dispose() => lines.Dispose();
}
