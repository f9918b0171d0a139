using System.Text.Json;
using TcpScope.Decode;
using TcpScope.Records;
using TcpScope.Records.Json;

namespace TcpScope.Output;

/// <summary>
/// A <see cref="StateRecord"/> written field by field, byte for byte what
/// <see cref="RecordJsonContext"/> writes for it (a test holds them equal).
/// </summary>
public static class StateJsonLine
{
    public static void Write(Utf8JsonWriter json, in StateChange e, WallClock clock)
    {
        Span<char> text = stackalloc char[AddressText.MaxLength];
        json.WriteStartObject();
        json.WriteString("type"u8, "state"u8);
        json.WriteNumber("schema"u8, RecordSchema.Version);
        json.WriteNumber("ts_ns"u8, e.TimestampNs);
        json.WriteString("time"u8, text[..clock.At(e.TimestampNs).Format(text)]);
        json.WriteNumber("netns"u8, e.NetNs);
        json.WriteString("skaddr"u8, text[..new KernelPointer(e.Socket).Format(text)]);
        json.WriteNumber("pid"u8, e.Pid);
        WriteComm(json, "comm"u8, e.ProcessComm);
        json.WriteBoolean("owner_known"u8, e.OwnerKnown);
        json.WriteNumber("task_pid"u8, e.TaskPid);
        WriteComm(json, "task_comm"u8, e.TaskComm);
        json.WriteString("family"u8, e.Family == AddressFamilyKind.IPv6 ? "ipv6"u8 : "ipv4"u8);
        json.WriteString("laddr"u8, text[..AddressText.Format(text, e.Family, e.LocalAddress)]);
        json.WriteNumber("lport"u8, e.LocalPort);
        json.WriteString("raddr"u8, text[..AddressText.Format(text, e.Family, e.RemoteAddress)]);
        json.WriteNumber("rport"u8, e.RemotePort);
        json.WriteString("oldstate"u8, StateNames.Of(e.OldState));
        json.WriteString("newstate"u8, StateNames.Of(e.NewState));
        if (e.DeltaKnown)
        {
            json.WriteNumber("ms"u8, Durations.Ms(e.DeltaNs));
        }
        else
        {
            json.WriteNull("ms"u8);
        }

        json.WriteEndObject();
    }

    private static void WriteComm(Utf8JsonWriter json, ReadOnlySpan<byte> name, in Decode.Abi.Comm comm)
    {
        json.WritePropertyName(name);
        CommConverter.WriteValue(json, comm);
    }
}
