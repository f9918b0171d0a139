using System.Runtime.InteropServices;
using TcpScope.Interop;

namespace TcpScope.Bpf;

/// <summary>
/// Read access to a BTF blob through libbpf's btf__ API: the running kernel's (enum names
/// by value) or an object's (ABI struct layouts, data-section variables).
/// </summary>
public sealed unsafe class BtfTypes : IDisposable
{
    private readonly BtfHandle? owned;
    private readonly nint btf;
    private readonly object? owner;

    private BtfTypes(BtfHandle? owned, nint btf, object? owner)
    {
        this.owned = owned;
        this.btf = btf;
        this.owner = owner;
    }

    /// <summary>The running kernel's BTF (/sys/kernel/btf/vmlinux).</summary>
    public static BtfTypes LoadKernel()
    {
        LibbpfRuntime.EnsureReady();
        BtfHandle h = Libbpf.btf__load_vmlinux_btf();
        return Wrap(h, "loading the kernel's BTF (/sys/kernel/btf/vmlinux)");
    }

    /// <summary>BTF from an ELF object or a raw BTF file.</summary>
    public static BtfTypes Parse(string path)
    {
        LibbpfRuntime.EnsureReady();
        BtfHandle h = Libbpf.btf__parse(path, 0);
        return Wrap(h, $"parsing BTF of {path}");
    }

    internal static BtfTypes Borrowed(nint btf, object owner) => new(null, btf, owner);

    /// <summary>The members of the enum that has a member called <paramref name="memberName"/>.</summary>
    public IReadOnlyDictionary<long, string>? EnumContaining(string memberName)
    {
        // compares names as bytes in place: the kernel has thousands of enums, and this runs
        // on every start, before the first event can be decoded
        byte[] wanted = System.Text.Encoding.UTF8.GetBytes(memberName);
        uint count = Libbpf.btf__type_cnt(btf);
        for (uint id = 1; id < count; id++)
        {
            Libbpf.btf_type* t = Libbpf.btf__type_by_id(btf, id);
            int kind = Kind(t);
            if (kind == Libbpf.BTF_KIND_ENUM && HasMember((Libbpf.btf_enum*)(t + 1), Vlen(t), sizeof(Libbpf.btf_enum), wanted))
            {
                return EnumMembers(t, kind);
            }

            if (kind == Libbpf.BTF_KIND_ENUM64 && HasMember((Libbpf.btf_enum*)(t + 1), Vlen(t), sizeof(Libbpf.btf_enum64), wanted))
            {
                return EnumMembers(t, kind);
            }
        }

        return null;
    }

    /// <summary>Whether an enum's member list (name_off first in each entry of <paramref name="stride"/> bytes) has the name.</summary>
    private bool HasMember(Libbpf.btf_enum* first, int count, int stride, ReadOnlySpan<byte> name)
    {
        byte* p = (byte*)first;
        for (int i = 0; i < count; i++, p += stride)
        {
            byte* s = Libbpf.btf__name_by_offset(btf, *(uint*)p);
            if (s is not null && new ReadOnlySpan<byte>(s, name.Length).SequenceEqual(name) && s[name.Length] == 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The members of a named struct, or null if the BTF has no such struct.</summary>
    public IReadOnlyList<BtfMember>? Struct(string name)
    {
        int id = Libbpf.btf__find_by_name_kind(btf, name, Libbpf.BTF_KIND_STRUCT);
        if (id <= 0)
        {
            return null;
        }

        Libbpf.btf_type* t = Libbpf.btf__type_by_id(btf, (uint)id);
        bool bitfields = (t->info >> 31) != 0;
        var m = (Libbpf.btf_member*)(t + 1);
        var list = new List<BtfMember>();
        for (int i = 0; i < Vlen(t); i++)
        {
            uint bitOffset = bitfields ? m[i].offset & 0xffffff : m[i].offset;
            list.Add(new BtfMember(NameOf(m[i].name_off), bitOffset / 8, SizeOf(m[i].type)));
        }

        return list;
    }

    /// <summary>Global variables of a data section (".rodata", ".bss").</summary>
    public IReadOnlyList<BtfVariable> DataSectionVariables(string section)
    {
        int id = Libbpf.btf__find_by_name_kind(btf, section, Libbpf.BTF_KIND_DATASEC);
        if (id <= 0)
        {
            return [];
        }

        Libbpf.btf_type* t = Libbpf.btf__type_by_id(btf, (uint)id);
        var s = (Libbpf.btf_var_secinfo*)(t + 1);
        var list = new List<BtfVariable>();
        for (int i = 0; i < Vlen(t); i++)
        {
            Libbpf.btf_type* v = Libbpf.btf__type_by_id(btf, s[i].type);
            list.Add(new BtfVariable(NameOf(v->name_off), s[i].offset, s[i].size));
        }

        return list;
    }

    public void Dispose()
    {
        owned?.Dispose();
        GC.KeepAlive(owner);
    }

    private static BtfTypes Wrap(BtfHandle h, string what)
    {
        if (h.IsInvalid)
        {
            int errno = Marshal.GetLastPInvokeError();
            h.Dispose();
            throw new LibbpfException(what, errno);
        }

        return new BtfTypes(h, h.DangerousGetHandle(), null);
    }

    private static int Kind(Libbpf.btf_type* t) => (int)((t->info >> 24) & 0x1f);

    private static int Vlen(Libbpf.btf_type* t) => (int)(t->info & 0xffff);

    private Dictionary<long, string> EnumMembers(Libbpf.btf_type* t, int kind)
    {
        var members = new Dictionary<long, string>();
        int n = Vlen(t);
        if (kind == Libbpf.BTF_KIND_ENUM)
        {
            var e = (Libbpf.btf_enum*)(t + 1);
            for (int i = 0; i < n; i++)
            {
                members.TryAdd(e[i].val, NameOf(e[i].name_off));
            }
        }
        else
        {
            var e = (Libbpf.btf_enum64*)(t + 1);
            for (int i = 0; i < n; i++)
            {
                members.TryAdd((long)(((ulong)e[i].val_hi32 << 32) | e[i].val_lo32), NameOf(e[i].name_off));
            }
        }

        return members;
    }

    private uint SizeOf(uint typeId)
    {
        // follow typedefs and qualifiers to something with a size; arrays are elem size * count
        for (int hops = 0; hops < 32; hops++)
        {
            Libbpf.btf_type* t = Libbpf.btf__type_by_id(btf, typeId);
            if (t is null)
            {
                return 0;
            }

            switch (Kind(t))
            {
                case 1 /* INT */ or Libbpf.BTF_KIND_STRUCT or Libbpf.BTF_KIND_UNION or Libbpf.BTF_KIND_ENUM or Libbpf.BTF_KIND_ENUM64:
                    return t->size_or_type;
                case 2 /* PTR */:
                    return (uint)sizeof(nint);
                case 3 /* ARRAY */:
                    uint* a = (uint*)(t + 1); // struct btf_array { type, index_type, nelems }
                    return SizeOf(a[0]) * a[2];
                default:
                    typeId = t->size_or_type; // TYPEDEF, VOLATILE, CONST, RESTRICT: the type it names
                    break;
            }
        }

        return 0;
    }

    private string NameOf(uint offset) => Marshal.PtrToStringUTF8((nint)Libbpf.btf__name_by_offset(btf, offset)) ?? "";
}
