using System.Text.Json;
using System.Text.Json.Serialization;
using TcpScope.Decode;
using TcpScope.Decode.Abi;

namespace TcpScope.Records.Json;

/// <summary>
/// A task name as the kernel wrote it, up to its NUL. A name cut at 15 bytes can end inside a
/// UTF-8 character: the writer puts U+FFFD for what is not UTF-8.
/// </summary>
public sealed class CommConverter : JsonConverter<Comm>
{
    public override Comm Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => CommText.From(reader.GetString() ?? "");

    public override void Write(Utf8JsonWriter writer, Comm value, JsonSerializerOptions options) => WriteValue(writer, value);

    public static void WriteValue(Utf8JsonWriter writer, in Comm value) => writer.WriteStringValue(CommText.Bytes(value));
}
