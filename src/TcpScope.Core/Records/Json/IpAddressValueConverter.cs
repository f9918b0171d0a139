using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using TcpScope.Decode;
using TcpScope.Decode.Abi;

namespace TcpScope.Records.Json;

/// <summary><see cref="IpAddressValue"/> as "198.18.0.1" or "fd00::1", formatted on the stack.</summary>
public sealed class IpAddressValueConverter : JsonConverter<IpAddressValue>
{
    public override IpAddressValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        IPAddress a = IPAddress.Parse(reader.GetString()!);
        var bytes = default(AddressBytes);
        a.TryWriteBytes(bytes, out _);
        return new(a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? AddressFamilyKind.IPv6 : AddressFamilyKind.IPv4, bytes);
    }

    public override void Write(Utf8JsonWriter writer, IpAddressValue value, JsonSerializerOptions options)
    {
        Span<char> text = stackalloc char[AddressText.MaxLength];
        writer.WriteStringValue(text[..value.Format(text)]);
    }
}
