using TcpScope.Bpf;
using TcpScope.Decode;

namespace TcpScope.Tests;

public class KernelEnumsTests
{
    [Fact]
    public void Tcp_states_are_read_by_name_from_the_running_kernel_btf()
    {
        Assert.True(Host.KernelInfo.HasBtf(), "the kernel exposes no BTF at /sys/kernel/btf/vmlinux");
        using BtfTypes btf = BtfTypes.LoadKernel();

        KernelEnums enums = KernelEnums.FromBtf(btf);

        Assert.Equal("kernel BTF", enums.Source);
        Assert.Equal(TcpState.ESTABLISHED, enums.TcpState(1));
        Assert.Equal(TcpState.CLOSE_WAIT, enums.TcpState(8));
        Assert.Equal(TcpState.NEW_SYN_RECV, enums.TcpState(12));
        Assert.Equal(TcpState.Unknown, enums.TcpState(200));
    }

    [Fact]
    public void Enum_lookup_by_member_name_finds_other_enums_too()
    {
        using BtfTypes btf = BtfTypes.LoadKernel();

        IReadOnlyDictionary<long, string>? reasons = btf.EnumContaining("SKB_DROP_REASON_NOT_SPECIFIED");

        Assert.NotNull(reasons);
        Assert.Contains("SKB_DROP_REASON_NO_SOCKET", reasons.Values);
    }
}

public class RawBtfTests
{
    private static readonly byte[] KernelBtf = File.ReadAllBytes(Host.KernelInfo.VmlinuxBtf);

    [Theory]
    [InlineData("TCP_ESTABLISHED")]
    [InlineData("SKB_DROP_REASON_NOT_SPECIFIED")]
    [InlineData("SK_RST_REASON_NOT_SPECIFIED")]
    [InlineData("BPF_MAP_TYPE_RINGBUF")]
    public void The_one_pass_scan_finds_the_same_enum_as_libbpf(string member)
    {
        using BtfTypes btf = BtfTypes.LoadKernel();

        IReadOnlyDictionary<long, string>? expected = btf.EnumContaining(member);
        Dictionary<long, string>? actual = RawBtf.EnumContaining(KernelBtf, member);

        Assert.NotNull(expected);
        Assert.Equal(expected.OrderBy(p => p.Key), actual!.OrderBy(p => p.Key));
    }

    [Fact]
    public void A_name_no_enum_has_is_not_found()
    {
        Assert.Null(RawBtf.EnumContaining(KernelBtf, "TCP_NO_SUCH_STATE_ANYWHERE"));
    }

    [Fact]
    public void Kernel_enums_from_the_scan_match_those_from_libbpf()
    {
        using BtfTypes btf = BtfTypes.LoadKernel();
        KernelEnums viaLibbpf = KernelEnums.FromBtf(btf);
        KernelEnums viaScan = KernelEnums.FromKernel();

        for (int v = 0; v < 256; v++)
        {
            Assert.Equal(viaLibbpf.TcpState((byte)v), viaScan.TcpState((byte)v));
        }
    }

    [Fact]
    public void Bytes_that_are_not_btf_are_refused()
    {
        Assert.Throws<InvalidDataException>(() => RawBtf.EnumContaining(new byte[64], "TCP_ESTABLISHED"));
    }
}
