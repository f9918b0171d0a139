using TcpScope.Interop;

namespace TcpScope.Bpf;

/// <summary>An attached program; disposing it detaches.</summary>
public sealed class BpfLink : IDisposable
{
    private readonly BpfLinkHandle handle;

    internal BpfLink(string program, BpfLinkHandle handle)
    {
        Program = program;
        this.handle = handle;
    }

    public string Program { get; }

    public void Dispose() => handle.Dispose();
}
