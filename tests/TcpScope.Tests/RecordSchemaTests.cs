using System.Text.Json;
using TcpScope.Records;
using TcpScope.Records.Json;

namespace TcpScope.Tests;

/// <summary>Every record TcpScope prints says what it is and which schema it follows, first.</summary>
public class RecordSchemaTests
{
    private static readonly Dictionary<Type, string> ExpectedTypes = new()
    {
        [typeof(StateRecord)] = "state",
        [typeof(LifeRecord)] = "life",
        [typeof(LifeCloseRecord)] = "life",
        [typeof(ConnectRecord)] = "connect",
        [typeof(ConnectSummaryRecord)] = "connect_summary",
        [typeof(FindingRecord)] = "finding",
        [typeof(SummaryRecord)] = "summary",
        [typeof(DoctorRecord)] = "doctor",
        [typeof(LabRecord)] = "lab",
        [typeof(DropRecord)] = "drop",
        [typeof(ResetRecord)] = "reset",
        [typeof(DropCountRecord)] = "drop_count",
    };

    [Fact]
    public void Every_record_type_has_a_sample_here()
    {
        // a new record type must be added to the samples (and so to these tests)
        Type[] declared = [.. typeof(IOutputRecord).Assembly.GetTypes().Where(t => typeof(IOutputRecord).IsAssignableFrom(t) && !t.IsAbstract && !t.IsInterface)];
        Assert.Equal(ExpectedTypes.Keys.Select(t => t.Name).Order(), declared.Select(t => t.Name).Order());
        Assert.Equal(ExpectedTypes.Keys.Select(t => t.Name).Order(), RecordSamples.All().Select(r => r.GetType().Name).Order());
    }

    [Fact]
    public void Every_record_starts_with_its_type_and_schema_1()
    {
        foreach (IOutputRecord r in RecordSamples.All())
        {
            // throws for a record type the generated context does not know
            string json = JsonSerializer.Serialize(r, r.GetType(), RecordJsonContext.Default);
            using JsonDocument doc = JsonDocument.Parse(json);
            JsonProperty[] first = [.. doc.RootElement.EnumerateObject().Take(2)];
            Assert.Equal(("type", ExpectedTypes[r.GetType()]), (first[0].Name, first[0].Value.GetString()));
            Assert.Equal(("schema", 1), (first[1].Name, first[1].Value.GetInt32()));
        }
    }
}
