using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TcpScope.Records.Json;

/// <summary><see cref="WallTime"/> as an ISO 8601 string, formatted on the stack.</summary>
public sealed class WallTimeConverter : JsonConverter<WallTime>
{
    public override WallTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        DateTime utc = DateTime.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        return new WallTime((utc.Ticks - DateTime.UnixEpoch.Ticks) * 100);
    }

    public override void Write(Utf8JsonWriter writer, WallTime value, JsonSerializerOptions options)
    {
        Span<char> text = stackalloc char[WallTime.IsoLength + 8];
        writer.WriteStringValue(text[..value.Format(text)]);
    }
}
