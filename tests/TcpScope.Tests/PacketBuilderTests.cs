using System.Net;
using TcpScope.Lab.Packets;

namespace TcpScope.Tests;

/// <summary>The packet builder against packets the kernel sent (see Fixtures/README.md): same bytes, same checksums.</summary>
public class PacketBuilderTests
{
    private const string KernelSyn =
        "4500003ca2f4400040060ba0c6120001c6120002a0280050baa8c30900000000a002faf0cf4e0000020405b40402080a05a9cdc1000000000103030a";

    private const string KernelAck =
        "45000034a2f5400040060ba7c6120001c6120002a0280050baa8c30ac59611628010003f51cd00000101080a05a9cdc21ab8b540";

    [Theory]
    [InlineData(KernelSyn)]
    [InlineData(KernelAck)]
    public void Rebuilding_a_kernel_packet_gives_the_same_bytes(string hex)
    {
        byte[] original = Convert.FromHexString(hex);
        TcpSegment parsed = TcpSegment.Parse(original)!;

        Assert.Equal(hex, Convert.ToHexStringLower(parsed.Build()));
    }

    [Fact]
    public void A_kernel_syn_parses_into_its_fields()
    {
        TcpSegment s = TcpSegment.Parse(Convert.FromHexString(KernelSyn))!;

        Assert.Equal(IPAddress.Parse("198.18.0.1"), s.Source);
        Assert.Equal(IPAddress.Parse("198.18.0.2"), s.Destination);
        Assert.Equal((41000, 80), (s.SourcePort, s.DestinationPort));
        Assert.Equal(TcpFlags.Syn, s.Flags);
        Assert.Equal(0xbaa8c309u, s.Sequence);
        Assert.Equal((ushort)1460, s.Mss);
        Assert.True(s.SackPermitted);
        Assert.Equal((0x05a9cdc1u, 0u), s.Timestamps);
        Assert.Equal((byte)10, s.WindowScale);
    }

    [Fact]
    public void A_crafted_syn_from_a_spoofed_source_carries_valid_checksums()
    {
        var syn = new TcpSegment
        {
            Source = IPAddress.Parse("198.18.9.77"),
            Destination = IPAddress.Parse("198.18.0.2"),
            SourcePort = 12345,
            DestinationPort = 8081,
            Sequence = 0xdeadbeef,
            Flags = TcpFlags.Syn,
            Mss = 1460,
        };

        byte[] p = syn.Build();

        Assert.Equal(44, p.Length);
        Assert.Equal(0, InternetChecksum.Of(p.AsSpan(0, 20))); // a valid header sums to zero
        Assert.Equal(0, InternetChecksum.TcpOverIPv4(p.AsSpan(12, 4), p.AsSpan(16, 4), p.AsSpan(20)));
        Assert.Equal(syn, TcpSegment.Parse(p)! with { Payload = syn.Payload });
    }

    [Fact]
    public void Odd_length_payloads_are_padded_for_the_checksum()
    {
        byte[] p = new TcpSegment
        {
            Source = IPAddress.Parse("198.18.0.1"),
            Destination = IPAddress.Parse("198.18.0.2"),
            SourcePort = 1,
            DestinationPort = 2,
            Flags = TcpFlags.Ack | TcpFlags.Psh,
            Payload = "abc"u8.ToArray(),
        }.Build();

        Assert.Equal(0, InternetChecksum.TcpOverIPv4(p.AsSpan(12, 4), p.AsSpan(16, 4), p.AsSpan(20)));
    }

    [Fact]
    public void Rfc1071_example_sum()
    {
        // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (so the checksum is 220d)
        Assert.Equal(0x220d, InternetChecksum.Of(Convert.FromHexString("0001f203f4f5f6f7")));
    }
}
