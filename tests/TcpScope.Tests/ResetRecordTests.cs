using System.Text.Json;
using TcpScope.Decode;
using TcpScope.Decode.Abi;
using TcpScope.Records;
using TcpScope.Records.Json;
using static TcpScope.Tests.Events;

namespace TcpScope.Tests;

/// <summary>The JSON `reset` record: the answered segment's numbers as `drop` has them, null when it answers none.</summary>
public class ResetRecordTests
{
    private static JsonElement Json(PacketDrop e)
    {
        string json = JsonSerializer.Serialize(ResetRecord.From(e, RecordSamples.Clock), RecordJsonContext.Default.ResetRecord);
        return JsonDocument.Parse(json).RootElement;
    }

    [Fact]
    public void A_reset_answering_a_segment_carries_its_seq_ack_timestamp_and_payload()
    {
        PacketDrop syn = Drop(RecordSamples.Ms, "NO_SOCKET", kind: DropKind.Reset, extra: DropEventFlags.Timestamp)
            with { Seq = 3135830790, Ack = 7, TsVal = 2569856376, TsEcr = 11, Payload = 5 };

        JsonElement r = Json(syn);

        Assert.Equal((3135830790u, 7u, 2569856376u, 11u, 5u), (r.GetProperty("seq").GetUInt32(), r.GetProperty("ack").GetUInt32(),
            r.GetProperty("tsval").GetUInt32(), r.GetProperty("tsecr").GetUInt32(), r.GetProperty("payload").GetUInt32()));
        Assert.True(r.GetProperty("answers").GetBoolean());
    }

    [Fact]
    public void A_reset_of_a_socket_aborting_answers_no_segment_and_says_null()
    {
        // no segment (tcp_send_reset with skb NULL): the record has the socket's addresses only
        PacketDrop abort = Drop(RecordSamples.Ms, "TCP_ABORT_ON_CLOSE", kind: DropKind.Reset, state: TcpState.CLOSE, socket: 0xffff888104c2a000)
            with { Flags = DropEventFlags.Socket };

        JsonElement r = Json(abort);

        Assert.False(r.GetProperty("answers").GetBoolean());
        foreach (string field in new[] { "seq", "ack", "tsval", "tsecr", "payload", "flags" })
        {
            Assert.Equal(JsonValueKind.Null, r.GetProperty(field).ValueKind);
        }
    }
}
