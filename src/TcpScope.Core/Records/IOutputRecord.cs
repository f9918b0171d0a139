namespace TcpScope.Records;

/// <summary>
/// Something TcpScope prints: a plain record, written as one JSON object whose first fields
/// are "type" (what it is) and "schema" (<see cref="RecordSchema.Version"/>).
/// </summary>
public interface IOutputRecord
{
    string Type { get; }

    int Schema { get; }
}
