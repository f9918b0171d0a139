namespace TcpScope.Bpf;

/// <summary>Receives each record of a ring buffer as a span valid only during the call.</summary>
public interface IRecordHandler
{
    void OnRecord(ReadOnlySpan<byte> record);
}
