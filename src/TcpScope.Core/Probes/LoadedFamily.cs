using TcpScope.Bpf;

namespace TcpScope.Probes;

/// <summary>A family's object in the kernel and the programs of it that attached.</summary>
internal sealed class LoadedFamily(ProbeFamily family, BpfObject obj, IReadOnlyList<(ProbeProgram Program, string Section, BpfLink Link)> links) : IDisposable
{
    public ProbeFamily Family { get; } = family;

    public BpfObject Object { get; } = obj;

    public IReadOnlyList<(ProbeProgram Program, string Section, BpfLink Link)> Links { get; } = links;

    public void Dispose()
    {
        foreach ((_, _, BpfLink link) in Links)
        {
            link.Dispose();
        }

        Object.Dispose();
    }
}
