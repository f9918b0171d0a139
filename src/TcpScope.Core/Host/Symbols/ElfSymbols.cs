using System.Buffers.Binary;
using System.Text;

namespace TcpScope.Host.Symbols;

/// <summary>
/// Function symbols of a 64-bit little-endian ELF file (.symtab, else .dynsym), by virtual
/// address, and the loadable segments to turn a file offset into one.
/// </summary>
public sealed class ElfSymbols
{
    private const int SHT_SYMTAB = 2;
    private const int SHT_DYNSYM = 11;
    private const int PT_LOAD = 1;
    private const int STT_FUNC = 2;

    private readonly List<(ulong Offset, ulong VAddr, ulong Size)> segments;

    private ElfSymbols(SymbolTable table, List<(ulong, ulong, ulong)> segments)
    {
        Table = table;
        this.segments = segments;
    }

    public SymbolTable Table { get; }

    /// <summary>Reads the file; null if it is not an ELF64 little-endian file.</summary>
    public static ElfSymbols? Load(string path) => Parse(File.ReadAllBytes(path));

    public static ElfSymbols? Parse(ReadOnlySpan<byte> elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F' || elf[4] != 2 || elf[5] != 1)
        {
            return null;
        }

        ulong phoff = U64(elf, 0x20), shoff = U64(elf, 0x28);
        int phentsize = U16(elf, 0x36), phnum = U16(elf, 0x38), shentsize = U16(elf, 0x3a), shnum = U16(elf, 0x3c);
        var segments = new List<(ulong, ulong, ulong)>();
        for (int i = 0; i < phnum; i++)
        {
            int p = checked((int)phoff + (i * phentsize));
            if (p + 56 <= elf.Length && U32(elf, p) == PT_LOAD)
            {
                segments.Add((U64(elf, p + 8), U64(elf, p + 16), U64(elf, p + 40)));
            }
        }

        var symbols = new List<(ulong, string)>();
        foreach (int wanted in new[] { SHT_SYMTAB, SHT_DYNSYM })
        {
            for (int i = 0; i < shnum && symbols.Count == 0; i++)
            {
                int sh = checked((int)shoff + (i * shentsize));
                if (sh + 64 > elf.Length || U32(elf, sh + 4) != wanted)
                {
                    continue;
                }

                ulong off = U64(elf, sh + 24), size = U64(elf, sh + 32), entsize = U64(elf, sh + 56);
                int strSh = checked((int)shoff + ((int)U32(elf, sh + 40) * shentsize));
                ulong strOff = U64(elf, strSh + 24), strSize = U64(elf, strSh + 32);
                if (entsize < 24 || off + size > (ulong)elf.Length || strOff + strSize > (ulong)elf.Length)
                {
                    continue;
                }

                ReadOnlySpan<byte> strings = elf.Slice((int)strOff, (int)strSize);
                for (ulong e = off; e + 24 <= off + size; e += entsize)
                {
                    int s = (int)e;
                    ulong value = U64(elf, s + 8);
                    if ((elf[s + 4] & 0xf) != STT_FUNC || value == 0)
                    {
                        continue;
                    }

                    uint name = U32(elf, s);
                    if (name < strings.Length)
                    {
                        ReadOnlySpan<byte> n = strings[(int)name..];
                        int end = n.IndexOf((byte)0);
                        symbols.Add((value, Encoding.UTF8.GetString(end >= 0 ? n[..end] : n)));
                    }
                }
            }

            if (symbols.Count > 0)
            {
                break;
            }
        }

        return new ElfSymbols(new SymbolTable(symbols), segments);
    }

    /// <summary>The virtual address (as in the symbol table) of a file offset, if a loadable segment holds it.</summary>
    public ulong? VirtualAddress(ulong fileOffset)
    {
        foreach ((ulong offset, ulong vaddr, ulong size) in segments)
        {
            if (fileOffset >= offset && fileOffset < offset + size)
            {
                return fileOffset - offset + vaddr;
            }
        }

        return null;
    }

    private static ushort U16(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b[at..]);

    private static uint U32(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b[at..]);

    private static ulong U64(ReadOnlySpan<byte> b, int at) => BinaryPrimitives.ReadUInt64LittleEndian(b[at..]);
}
