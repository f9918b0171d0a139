using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TcpScope.Records.Json;

/// <summary><see cref="KernelPointer"/> as "0x" and 16 hex digits.</summary>
public sealed class KernelPointerConverter : JsonConverter<KernelPointer>
{
    public override KernelPointer Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(ulong.Parse(reader.GetString().AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));

    public override void Write(Utf8JsonWriter writer, KernelPointer value, JsonSerializerOptions options)
    {
        Span<char> text = stackalloc char[KernelPointer.TextLength];
        writer.WriteStringValue(text[..value.Format(text)]);
    }
}
