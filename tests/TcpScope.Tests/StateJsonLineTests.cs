using System.Text;
using TcpScope.Decode;
using TcpScope.Decode.Abi;
using TcpScope.Output;
using TcpScope.Records;
using static TcpScope.Tests.Events;

namespace TcpScope.Tests;

/// <summary>The states line written field by field is the StateRecord's JSON, byte for byte.</summary>
public class StateJsonLineTests
{
    public static TheoryData<string> Events => ["ipv6 with time in state", "ipv4 before tracing", "owner unknown", "comm cut inside a character"];

    [Theory]
    [MemberData(nameof(Events))]
    public void Field_writer_and_record_serialiser_write_the_same_bytes(string which)
    {
        StateChange e = Event(which);
        string fields = Render(lines =>
        {
            StateJsonLine.Write(lines.Json, e, lines.Clock);
            lines.EndLine();
        });
        string record = Render(lines => lines.Write(StateRecord.From(e, lines.Clock), JsonLines.Context.StateRecord));

        Assert.Equal(record, fields);
        Assert.StartsWith("{\"type\":\"state\",\"schema\":1,\"ts_ns\":", fields);
    }

    [Fact]
    public void A_task_name_cut_inside_a_character_is_written_with_a_replacement_character()
    {
        // "sé..." cut inside the two bytes of é
        string line = Render(lines =>
        {
            StateJsonLine.Write(lines.Json, Event("comm cut inside a character"), lines.Clock);
            lines.EndLine();
        });

        using var doc = System.Text.Json.JsonDocument.Parse(line);
        Assert.Equal("s\uFFFD", doc.RootElement.GetProperty("comm").GetString());
        Assert.Equal("srv-é", doc.RootElement.GetProperty("task_comm").GetString());
    }

    private static StateChange Event(string which) => which switch
    {
        "ipv6 with time in state" => RecordSamples.StateChange(),
        "ipv4 before tracing" => State(5_557_262_699_972, 0xffff888102e08940, TcpState.CLOSE, TcpState.LISTEN, "127.0.0.1:41739", "0.0.0.0:0"),
        "owner unknown" => State(1, 2, TcpState.ESTABLISHED, TcpState.FIN_WAIT1, ownerPid: 0, deltaNs: 3),
        _ => State(7, 8, TcpState.SYN_SENT, TcpState.ESTABLISHED, deltaNs: 243_000) with
        {
            OwnerComm = Comm([(byte)'s', 0xc3]),
            TaskComm = Comm(Encoding.UTF8.GetBytes("srv-é")),
        },
    };

    private static Comm Comm(byte[] bytes)
    {
        var c = default(Comm);
        bytes.CopyTo(c);
        return c;
    }

    private static string Render(Action<JsonLines> write)
    {
        var stream = new MemoryStream();
        using (var lines = new JsonLines(stream, RecordSamples.Clock))
        {
            write(lines);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
