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
