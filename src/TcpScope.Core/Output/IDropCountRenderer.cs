using TcpScope.Decode;

namespace TcpScope.Output;

/// <summary>Writes drops --count's rows in one format (text table, JSON lines); each call ends with a flush.</summary>
public interface IDropCountRenderer : IDisposable
{
    void WriteHeader();

    /// <summary>The rows that gained in the interval that ends at <paramref name="nowNs"/> (CLOCK_MONOTONIC) and lasted <paramref name="seconds"/>.</summary>
    void WriteInterval(long nowNs, double seconds, IReadOnlyList<DropCountRow> rows);

    /// <summary>Every row with its total over the whole run, at the end.</summary>
    void WriteTotals(long nowNs, double seconds, IReadOnlyList<DropCountRow> rows);
}
