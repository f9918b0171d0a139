namespace TcpScope.Records;

/// <summary>
/// The version of the JSON that TcpScope writes, carried by every record as "schema". It goes
/// up when a field is removed, renamed or changes meaning; adding a field keeps it.
/// </summary>
public static class RecordSchema
{
    public const int Version = 1;

    /// <summary>The order of "type" and "schema": first in every record, before any field of the record itself.</summary>
    internal const int TypeOrder = -100;

    internal const int SchemaOrder = -99;
}
