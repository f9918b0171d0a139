using System.Runtime.InteropServices;
using TcpScope.Interop;

namespace TcpScope.Bpf;

/// <summary>
/// One BPF object file opened by libbpf: before <see cref="Load"/> a spec whose constants,
/// programs and map sizes can be changed; after it, programs in the kernel ready to attach.
/// </summary>
public sealed unsafe partial class BpfObject : IDisposable
{
    private readonly BpfObjectHandle handle;
    private readonly byte[] image;
    private bool loaded;

    private BpfObject(string name, BpfObjectHandle handle, byte[] image)
    {
        Name = name;
        this.handle = handle;
        this.image = image;
    }

    public string Name { get; }

    /// <summary>Opens an object from its ELF image; nothing reaches the kernel yet.</summary>
    public static BpfObject Open(string name, byte[] elf)
    {
        LibbpfRuntime.EnsureReady();
        byte[] nameZ = [.. System.Text.Encoding.UTF8.GetBytes(name), 0];
        BpfObjectHandle h;
        fixed (byte* p = elf)
        fixed (byte* n = nameZ)
        {
            var opts = new Libbpf.bpf_object_open_opts { sz = (nuint)sizeof(Libbpf.bpf_object_open_opts), object_name = n };
            h = Libbpf.bpf_object__open_mem(p, (nuint)elf.Length, &opts);
        }

        if (h.IsInvalid)
        {
            int errno = Marshal.GetLastPInvokeError();
            h.Dispose();
            throw new LibbpfException($"opening BPF object {name}", errno);
        }

        // libbpf keeps pointers into the image (ELF sections) while the object lives
        return new BpfObject(name, h, elf);
    }

    /// <summary>Opens one of the objects built into TcpScope (bpf/NAME.bpf.c).</summary>
    public static BpfObject OpenEmbedded(string name) => Open(name, EmbeddedObjects.Read(name));

    /// <summary>Names of the object's programs (function names in the .bpf.c).</summary>
    public IReadOnlyList<BpfProgramInfo> Programs
    {
        get
        {
            var list = new List<BpfProgramInfo>();
            for (nint p = Libbpf.bpf_object__next_program(handle, 0); p != 0; p = Libbpf.bpf_object__next_program(handle, p))
            {
                list.Add(new BpfProgramInfo(
                    Marshal.PtrToStringUTF8((nint)Libbpf.bpf_program__name(p)) ?? "?",
                    Marshal.PtrToStringUTF8((nint)Libbpf.bpf_program__section_name(p)) ?? "?"));
            }

            return list;
        }
    }

    /// <summary>Loads only the named programs; the others stay out of the kernel.</summary>
    public void SelectPrograms(params string[] names)
    {
        EnsureNotLoaded();
        foreach (BpfProgramInfo info in Programs)
        {
            Libbpf.bpf_program__set_autoload(Program(info.Name), names.Contains(info.Name));
        }
    }

    /// <summary>
    /// Before load: the object uses an existing map (another object's, by fd) instead of creating
    /// its own, so that objects loaded together share it. Its size and type come from that map.
    /// </summary>
    public void ReuseMap(string map, int fd)
    {
        EnsureNotLoaded();
        int err = Libbpf.bpf_map__reuse_fd(Map(map), fd);
        if (err != 0)
        {
            throw new LibbpfException($"reusing map {map} in {Name}", -err);
        }
    }

    public bool HasMap(string map) => Libbpf.bpf_object__find_map_by_name(handle, map) != 0;

    /// <summary>Before load: attaches a BTF-typed program (tp_btf, fentry...) to <paramref name="target"/> instead of its section's.</summary>
    public void SetAttachTarget(string program, string target)
    {
        EnsureNotLoaded();
        int err = Libbpf.bpf_program__set_attach_target(Program(program), 0, target);
        if (err != 0)
        {
            throw new LibbpfException($"setting the attach target of {Name}/{program} to {target}", -err);
        }
    }

    public void ResizeMap(string map, uint maxEntries)
    {
        EnsureNotLoaded();
        int err = Libbpf.bpf_map__set_max_entries(Map(map), maxEntries);
        if (err != 0)
        {
            throw new LibbpfException($"resizing map {map} to {maxEntries}", -err);
        }
    }

    /// <summary>
    /// Loads the selected programs and creates the maps. On a verifier rejection the
    /// exception carries the verifier's log.
    /// </summary>
    public void Load()
    {
        EnsureNotLoaded();
        LibbpfLog.Clear();
        int err = Libbpf.bpf_object__load(handle);
        if (err != 0)
        {
            throw BpfLoadException.From(Name, -err, LibbpfLog.Snapshot());
        }

        loaded = true;
    }

    /// <summary>Attaches a loaded program where its section name says (tp_btf/..., tracepoint/...).</summary>
    public BpfLink Attach(string program)
    {
        if (!loaded)
        {
            throw new InvalidOperationException($"{Name}: attach before load");
        }

        LibbpfLog.Clear();
        BpfLinkHandle link = Libbpf.bpf_program__attach(Program(program));
        if (link.IsInvalid)
        {
            int errno = Marshal.GetLastPInvokeError();
            link.Dispose();
            throw new LibbpfException($"attaching {Name}/{program}", errno);
        }

        return new BpfLink(program, link);
    }

    public int MapFd(string map)
    {
        int fd = Libbpf.bpf_map__fd(Map(map));
        if (fd < 0)
        {
            throw new LibbpfException($"map {map} of {Name} has no fd (not loaded?)", -fd);
        }

        return fd;
    }

    /// <summary>The object's own BTF (types of its programs and the ABI structs).</summary>
    public BtfTypes Btf
    {
        get
        {
            nint btf = Libbpf.bpf_object__btf(handle);
            if (btf == 0)
            {
                throw new InvalidOperationException($"{Name} has no BTF");
            }

            return BtfTypes.Borrowed(btf, this);
        }
    }

    public void Dispose()
    {
        handle.Dispose();
        GC.KeepAlive(image);
    }

    private nint Program(string name)
    {
        nint p = Libbpf.bpf_object__find_program_by_name(handle, name);
        return p != 0 ? p : throw new ArgumentException($"{Name} has no program {name}", nameof(name));
    }

    private nint Map(string name)
    {
        nint m = Libbpf.bpf_object__find_map_by_name(handle, name);
        return m != 0 ? m : throw new ArgumentException($"{Name} has no map {name}", nameof(name));
    }

    private void EnsureNotLoaded()
    {
        if (loaded)
        {
            throw new InvalidOperationException($"{Name} is already loaded");
        }
    }
}
