using System.Text.Json;
using TcpScope.Lab;
using TcpScope.Records;
using TcpScope.Records.Json;

namespace TcpScope.Output;

/// <summary>A lab run as one <see cref="LabRecord"/> (one line).</summary>
public static class LabResultJson
{
    public static void Write(Stream output, LabResult r)
    {
        using (var j = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            JsonSerializer.Serialize(j, LabRecord.From(r), RecordJsonContext.Default.LabRecord);
        }

        output.WriteByte((byte)'\n');
        output.Flush();
    }
}
