using System.Runtime.InteropServices;

#pragma warning disable CS8981 // C struct names are kept verbatim in the interop layer

namespace TcpScope.Interop;

internal static unsafe partial class Libbpf
{
    public const int BTF_KIND_STRUCT = 4;
    public const int BTF_KIND_UNION = 5;
    public const int BTF_KIND_ENUM = 6;
    public const int BTF_KIND_VAR = 14;
    public const int BTF_KIND_DATASEC = 15;
    public const int BTF_KIND_ENUM64 = 19;

    /// <summary>struct btf_type: followed by kind-specific data (members, enumerators, secinfos).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct btf_type
    {
        public uint name_off;
        public uint info;       // vlen: bits 0-15, kind: bits 24-28, kind_flag: bit 31
        public uint size_or_type;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct btf_member
    {
        public uint name_off;
        public uint type;
        public uint offset;     // bit offset; with kind_flag, bitfield size in bits 24-31
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct btf_enum
    {
        public uint name_off;
        public int val;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct btf_enum64
    {
        public uint name_off;
        public uint val_lo32;
        public uint val_hi32;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct btf_var_secinfo
    {
        public uint type;
        public uint offset;
        public uint size;
    }

    [LibraryImport(Library, SetLastError = true)]
    public static partial BtfHandle btf__load_vmlinux_btf();

    [LibraryImport(Library, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial BtfHandle btf__parse(string path, nint btf_ext);

    [LibraryImport(Library)]
    public static partial void btf__free(nint btf);

    [LibraryImport(Library)]
    public static partial uint btf__type_cnt(nint btf);

    [LibraryImport(Library)]
    public static partial btf_type* btf__type_by_id(nint btf, uint id);

    [LibraryImport(Library)]
    public static partial byte* btf__name_by_offset(nint btf, uint offset);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int btf__find_by_name_kind(nint btf, string type_name, uint kind);
}
