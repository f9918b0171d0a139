using TcpScope.Decode;
using TcpScope.Diagnosis;
using TcpScope.Host.Symbols;
using TcpScope.Records;

namespace TcpScope.Output;

/// <summary>`drops --json`: one <see cref="DropRecord"/> or <see cref="ResetRecord"/> per line, findings, and the closing summary.</summary>
/// <param name="stacks">Symbolises the kernel stacks that follow drops (--stacks); null: no stacks.</param>
public sealed class DropsJsonRenderer(Stream output, long wallOffsetNs, KernelLocations locations, StackSymbolizer? stacks = null) : IEventRenderer
{
    private readonly JsonLines lines = new(output, new WallClock(wallOffsetNs));
    private DropStackJoin? join;

    private DropStackJoin Join => join ??= new DropStackJoin(stacks is not null, Write);

    public void WriteHeader()
    {
    }

    public void OnDrop(in PacketDrop e) => Join.OnDrop(e);

    public void WriteFinding(Finding f) => lines.WriteFinding(f);

    public bool SummaryInOutput => true;

    public void WriteSummary(RunSummary s)
    {
        Join.Flush();
        lines.WriteSummary(s);
    }

    public void OnIdle(long monotonicNowNs)
    {
        Join.OnIdle();
        lines.Flush();
    }

    // a view of drops: the other kinds are other verbs' to show
    public void OnStateChange(in StateChange e)
    {
    }

    public void OnSocketEvent(in SocketEvent e)
    {
    }

    public void OnTotals(in SocketTotals e)
    {
    }

    public void OnIcmpError(in IcmpError e)
    {
    }

    public void OnStack(StackSample e) => Join.OnStack(e);

    private void Write(in PacketDrop e, ulong[]? frames)
    {
        if (e.Kind == DropKind.Reset)
        {
            lines.Write(ResetRecord.From(e, lines.Clock), JsonLines.Context.ResetRecord);
        }
        else
        {
            DropRecord r = DropRecord.From(e, lines.Clock, locations.Name(e.Location));
            lines.Write(frames is not null && stacks is not null ? r with { Stack = stacks.Kernel(frames) } : r, JsonLines.Context.DropRecord);
        }
    }

    public void Flush() => lines.Flush();

    public void Dispose() => lines.Dispose();
}
