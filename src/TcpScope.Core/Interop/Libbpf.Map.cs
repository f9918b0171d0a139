using System.Runtime.InteropServices;

namespace TcpScope.Interop;

internal static unsafe partial class Libbpf
{
    [LibraryImport(Library)]
    public static partial int bpf_map__fd(nint map);

    [LibraryImport(Library)]
    public static partial int bpf_map__set_max_entries(nint map, uint max_entries);

    [LibraryImport(Library)]
    public static partial void* bpf_map__initial_value(nint map, nuint* psize);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int bpf_map_lookup_elem(int fd, void* key, void* value);
}
