using System.Buffers.Binary;
using TcpScope.Bpf;

namespace TcpScope.IntegrationTests;

/// <summary>
/// The drops family's segment parser (bpf/drop_packet.bpf.h), run by the kernel itself on
/// captured packets through bpf/segment_check.bpf.c (a syscall program, BPF_PROG_TEST_RUN).
/// </summary>
/// <remarks>
/// The packets were captured on 6.18 with an AF_PACKET socket on the loopback of a throw-away
/// network namespace, while Python connected 127.0.0.1:41234 and [::1]:41234 to a listener on
/// port 8080 and sent "hello" (timestamps on, the kernel's defaults). They start at the IP header
/// (the loopback's 14-byte Ethernet header removed). The expected values were read off the hex
/// by hand.
/// </remarks>
public class SegmentParsingTests
{
    // 127.0.0.1:41234 > 127.0.0.1:8080 SYN, options MSS, SACK-permitted, TS (tsval 0xfa4c9674, tsecr 0), NOP, wscale
    private const string Syn4 = "4500003c2d2c400040060f8e7f0000017f000001a1121f90150ab97d00000000a002ffd7fe3000000204ffd70402080afa4c9674000000000103030a";

    // the client's first data segment: PSH+ACK, NOP NOP TS (tsval 0xfa4c9674, tsecr 0x6667e46a), "hello"
    private const string Data4 = "450000392d2e400040060f8f7f0000017f000001a1121f90150ab97e0b413dbe80180040fe2d00000101080afa4c96746667e46a68656c6c6f";

    // [::1]:41234 > [::1]:8080 SYN, TS tsval 0xb824f81e
    private const string Syn6 = "600c84dd002806400000000000000000000000000000000100000000000000000000000000000001a1121f90eadcd5cd00000000a002ffc4003000000204ffc40402080ab824f81e000000000103030a";

    private const int ContextSize = 192;

    private static byte[] Check(string hex, ushort proto)
    {
        byte[] packet = Convert.FromHexString(hex);
        var ctx = new byte[ContextSize];
        packet.CopyTo(ctx, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(ctx.AsSpan(128), proto);
        using BpfObject obj = BpfObject.OpenEmbedded(EmbeddedObjects.SegmentCheck);
        obj.Load();
        Assert.Equal(0u, obj.TestRun("segment_check", ctx));
        return ctx;
    }

    // the offsets of struct ts_segment_check (bpf/segment_check.bpf.c)
    private static bool Ok(byte[] c) => c[130] == 1;

    private static bool HasTs(byte[] c) => c[131] == 1;

    private static ushort U16(byte[] c, int at) => BinaryPrimitives.ReadUInt16LittleEndian(c.AsSpan(at));

    private static uint U32(byte[] c, int at) => BinaryPrimitives.ReadUInt32LittleEndian(c.AsSpan(at));

    [PrivilegedFact]
    public void An_ipv4_syn_is_read_with_its_timestamp_option()
    {
        byte[] c = Check(Syn4, 0x0800);

        Assert.True(Ok(c));
        Assert.Equal((2, 41234, 8080), (U16(c, 132), U16(c, 134), U16(c, 136)));
        Assert.Equal(0x02, c[138]);
        Assert.Equal((353024381u, 0u), (U32(c, 140), U32(c, 144)));
        Assert.True(HasTs(c));
        Assert.Equal((4199323252u, 0u), (U32(c, 148), U32(c, 152)));
        Assert.Equal(0u, U32(c, 156));
        Assert.Equal(new byte[] { 127, 0, 0, 1 }, c[160..164]);
        Assert.Equal(new byte[] { 127, 0, 0, 1 }, c[176..180]);
    }

    [PrivilegedFact]
    public void A_data_segment_gives_its_payload_length_and_the_timestamp_after_two_nops()
    {
        byte[] c = Check(Data4, 0x0800);

        Assert.True(Ok(c));
        Assert.Equal(0x18, c[138]); // PSH ACK
        Assert.Equal((353024382u, 188825022u), (U32(c, 140), U32(c, 144)));
        Assert.Equal((4199323252u, 1718084714u), (U32(c, 148), U32(c, 152)));
        Assert.Equal(5u, U32(c, 156)); // "hello"
    }

    [PrivilegedFact]
    public void An_ipv6_syn_is_read_with_its_addresses_and_timestamp()
    {
        byte[] c = Check(Syn6, 0x86DD);

        Assert.True(Ok(c));
        Assert.Equal((10, 41234, 8080), (U16(c, 132), U16(c, 134), U16(c, 136)));
        Assert.Equal(3940341197u, U32(c, 140));
        Assert.Equal(3089430558u, U32(c, 148));
        Assert.Equal(System.Net.IPAddress.IPv6Loopback.GetAddressBytes(), c[160..176]);
        Assert.Equal(System.Net.IPAddress.IPv6Loopback.GetAddressBytes(), c[176..192]);
    }

    [PrivilegedFact]
    public void The_ip_version_decides_when_the_skb_protocol_is_not_set_yet()
    {
        // the local output path: skb->protocol is 0 until ip_output()
        Assert.True(Ok(Check(Syn4, 0)));
    }

    [PrivilegedFact]
    public void Other_protocols_are_not_read()
    {
        // the captured SYN with its IP protocol byte changed from TCP (6) to UDP (17)
        string udp = Syn4[..18] + "11" + Syn4[20..];
        Assert.False(Ok(Check(udp, 0x0800)));
        // an ARP skb leaves on its protocol
        Assert.False(Ok(Check(Syn4, 0x0806)));
    }

    [PrivilegedFact]
    public void A_segment_without_options_has_no_timestamp()
    {
        // the captured data segment with its data offset cut to 5 words: no options (the bytes after are payload)
        string bare = Data4[..64] + "50" + Data4[66..];
        byte[] c = Check(bare, 0x0800);

        Assert.True(Ok(c));
        Assert.False(HasTs(c));
        Assert.Equal(17u, U32(c, 156)); // the 12 option bytes now count as payload
    }

    [PrivilegedFact]
    public void An_ipv4_header_with_options_puts_the_tcp_header_after_them()
    {
        // the captured SYN with 4 bytes of IP options (four NOPs) inserted: IHL 6, total length 64
        string withOptions = "46000040" + Syn4[8..40] + "01010101" + Syn4[40..];
        byte[] c = Check(withOptions, 0x0800);

        Assert.True(Ok(c));
        Assert.Equal((2, 41234, 8080), (U16(c, 132), U16(c, 134), U16(c, 136)));
        Assert.Equal(0x02, c[138]);
        Assert.Equal((353024381u, 0u), (U32(c, 140), U32(c, 144)));
        Assert.True(HasTs(c));
        Assert.Equal((4199323252u, 0u), (U32(c, 148), U32(c, 152)));
        Assert.Equal(0u, U32(c, 156));
    }
}
