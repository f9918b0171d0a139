using TcpScope.Decode;
using TcpScope.Diagnosis;
using TcpScope.Host.Symbols;
using TcpScope.Records;

namespace TcpScope.Output;

/// <summary>`drops --json`: one <see cref="DropRecord"/> or <see cref="ResetRecord"/> per line, findings, and the closing summary.</summary>
public sealed class DropsJsonRenderer(Stream output, long wallOffsetNs, KernelLocations locations) : IEventRenderer
{
    private readonly JsonLines lines = new(output, new WallClock(wallOffsetNs));

    public void WriteHeader()
    {
    }

    public void OnDrop(in PacketDrop e)
    {
        if (e.Kind == DropKind.Reset)
        {
            lines.Write(ResetRecord.From(e, lines.Clock), JsonLines.Context.ResetRecord);
        }
        else
        {
            lines.Write(DropRecord.From(e, lines.Clock, locations.Name(e.Location)), JsonLines.Context.DropRecord);
        }
    }

    public void WriteFinding(Finding f) => lines.WriteFinding(f);

    public void WriteSummary(RunSummary s) => lines.WriteSummary(s);

    public void OnIdle(long monotonicNowNs) => lines.Flush();

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

    public void OnStack(StackSample e)
    {
    }

    public void Flush() => lines.Flush();

    public void Dispose() => lines.Dispose();
}
