using TcpScope.Host.Symbols;

namespace TcpScope.Tests;

/// <summary>The symbol sources of --stacks against real lines and a real ELF file.</summary>
public class SymbolParsingTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    [Fact]
    public void Kallsyms_keeps_text_symbols_and_names_an_address_inside_one()
    {
        SymbolTable t = KernelSymbols.Parse(File.ReadLines(Fixture("kallsyms-excerpt.txt")));

        Assert.Equal(7, t.Count);
        Assert.Equal("tcp_done", t.Resolve(0xffffffff8200c410));
        Assert.Equal("tcp_done_with_error+0x1c", t.Resolve(0xffffffff8201db60 + 0x1c));
        Assert.Equal("ftrace_trampoline+0x4", t.Resolve(0xffffffffc0201004)); // the module name after the tab is not part of it
        Assert.Null(t.Resolve(0xffffffff81000000));
    }

    [Theory]
    [InlineData("0000000000000000 T tcp_done")] // what kallsyms shows without CAP_SYSLOG
    [InlineData("ffffffff8200c410 D some_data")]
    [InlineData("garbage")]
    public void Kallsyms_lines_that_name_no_code_are_skipped(string line) =>
        Assert.Equal(0, KernelSymbols.Parse([line]).Count);

    [Fact]
    public void Maps_find_the_file_and_offset_of_an_address()
    {
        ProcessMaps maps = ProcessMaps.Parse(File.ReadLines(Fixture("proc-pid-maps-sleep.txt")));

        ProcessMaps.Mapping libc = maps.Find(0x7f18fd94f000 + 0x4b)!;
        Assert.Equal("/usr/lib/x86_64-linux-gnu/libc.so.6", libc.Path);
        Assert.Equal(0x26000ul, libc.Offset);
        Assert.Equal("[heap]", maps.Find(0x5564851f0010)!.Path);
        Assert.Equal("", maps.Find(0x7f18fd926000)!.Path); // anonymous
        Assert.Null(maps.Find(0x1000));
    }

    [Fact]
    public void Elf_symbols_of_libc_resolve_its_own_connect()
    {
        string libc = File.ReadLines("/proc/self/maps").Select(l => l.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 6 && f[5].Trim().EndsWith("/libc.so.6", StringComparison.Ordinal))
            .Select(f => f[5].Trim()).First();
        ElfSymbols elf = ElfSymbols.Load(libc)!;

        Assert.True(elf.Table.Count > 1000, $"{elf.Table.Count} function symbols in {libc}");
        ulong connect = FindAddress(elf.Table, "connect");
        Assert.Equal("connect+0x4b", elf.Table.Resolve(connect + 0x4b));
    }

    [Fact]
    public void Not_an_elf_file_gives_no_symbols() => Assert.Null(ElfSymbols.Parse("#!/bin/sh\necho hi\n"u8));

    private static ulong FindAddress(SymbolTable t, string name)
    {
        // the table maps addresses to names; walk libc's text to find the symbol's start
        for (ulong a = 0x20000; a < 0x300000; a += 16)
        {
            if (t.Resolve(a) == name)
            {
                return a;
            }
        }

        throw new Xunit.Sdk.XunitException($"{name} not found");
    }
}
