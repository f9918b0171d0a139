using System.Text.Json;
using System.Text.Json.Serialization;
using TcpScope.Decode;
using TcpScope.Output;

namespace TcpScope.Records.Json;

/// <summary>A TCP state by the name ss and tcpstates use ("SYN_SENT"); a number the kernel added later as "UNKNOWN(n)".</summary>
public sealed class TcpStateConverter : JsonConverter<TcpState>
{
    public override TcpState Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Enum.TryParse(reader.GetString(), out TcpState s) ? s : 0;

    public override void Write(Utf8JsonWriter writer, TcpState value, JsonSerializerOptions options) => writer.WriteStringValue(StateNames.Of(value));
}
