using System.Text.Json;
using System.Text.Json.Serialization;
using TcpScope.Decode;
using TcpScope.Decode.Abi;

namespace TcpScope.Records.Json;

/// <summary>
/// A task name as written by the kernel: its bytes when they are UTF-8, else with '?' for what
/// is not printable ASCII (a name cut at 15 bytes can end inside a character, and a writer
/// given broken UTF-8 throws).
/// </summary>
public sealed class CommConverter : JsonConverter<Comm>
{
    public override Comm Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => CommText.From(reader.GetString() ?? "");

    public override void Write(Utf8JsonWriter writer, Comm value, JsonSerializerOptions options) => WriteValue(writer, value);

    public static void WriteValue(Utf8JsonWriter writer, in Comm value)
    {
        ReadOnlySpan<byte> bytes = CommText.Bytes(value);
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            writer.WriteStringValue(bytes);
            return;
        }

        Span<char> text = stackalloc char[16];
        writer.WriteStringValue(text[..CommText.Format(text, value)]);
    }
}
