using System.Runtime.InteropServices;

#pragma warning disable CS8981 // C struct names are kept verbatim in the interop layer

namespace TcpScope.Interop;

internal static unsafe partial class Libbpf
{
    [LibraryImport(Library)]
    public static partial int bpf_map__fd(nint map);

    [LibraryImport(Library)]
    public static partial int bpf_map__set_max_entries(nint map, uint max_entries);

    [LibraryImport(Library)]
    public static partial void* bpf_map__initial_value(nint map, nuint* psize);

    /// <summary>Makes the (not yet loaded) map use an existing map's fd instead of creating one; libbpf dups the fd.</summary>
    [LibraryImport(Library)]
    public static partial int bpf_map__reuse_fd(nint map, int fd);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int bpf_map_lookup_elem(int fd, void* key, void* value);

    /// <summary>The key after <paramref name="key"/> (the first when it is null); -1 with ENOENT after the last.</summary>
    [LibraryImport(Library, SetLastError = true)]
    public static partial int bpf_map_get_next_key(int fd, void* key, void* next_key);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int bpf_map_update_elem(int fd, void* key, void* value, ulong flags);

    /// <summary>bpf_map_update_elem: only when the key is not there yet.</summary>
    public const ulong BPF_NOEXIST = 1;

    public const uint BPF_MAP_TYPE_RINGBUF = 27;

    /// <summary>
    /// The head of struct bpf_map_info. The kernel copies min(info_len, its size) bytes, so a
    /// shorter struct is answered in full as far as it goes.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct bpf_map_info
    {
        public uint type;
        public uint id;
        public uint key_size;
        public uint value_size;
        public uint max_entries;
        public uint map_flags;
    }

    /// <summary>BPF_OBJ_GET_INFO_BY_FD (bpf_map_get_info_by_fd is libbpf 1.2+, this is in every version).</summary>
    [LibraryImport(Library, SetLastError = true)]
    public static partial int bpf_obj_get_info_by_fd(int bpf_fd, void* info, uint* info_len);
}
