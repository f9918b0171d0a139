using TcpScope.Decode;
using TcpScope.Output;

namespace TcpScope.Tests;

/// <summary>The words for drop reasons against the running kernel's enum skb_drop_reason (read from its BTF).</summary>
public class DropReasonTableTests
{
    // the reasons without the TCP_ prefix that TCP segments meet: written down here, not derived
    private static readonly string[] TcpRelatedWithoutPrefix =
    [
        "NOT_SPECIFIED", "NO_SOCKET", "SOCKET_CLOSE", "SOCKET_FILTER", "SOCKET_RCVBUFF", "SOCKET_BACKLOG", "PKT_TOO_SMALL",
        "NETFILTER_DROP", "PROTO_MEM", "QUEUE_PURGE", "IP_CSUM", "IP_OUTNOROUTES", "OTHERHOST",
    ];

    private static readonly KernelEnums Kernel = KernelEnums.FromKernel();

    [Fact]
    public void Every_tcp_related_reason_of_this_kernel_has_words_or_is_listed_as_generic()
    {
        Assert.NotEmpty(Kernel.DropReasons);
        string[] missing = [.. Kernel.DropReasons.Values
            .Where(n => n.StartsWith("TCP_", StringComparison.Ordinal) || TcpRelatedWithoutPrefix.Contains(n))
            .Where(n => DropReasonTable.Find(n) is null && !DropReasonTable.Generic.Contains(n))];

        Assert.True(missing.Length == 0, $"reasons of this kernel without words: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_entry_names_a_reason_this_kernel_has()
    {
        // a typo in the table would never match a drop
        string[] unknown = [.. DropReasonTable.Entries.Select(e => e.Reason).Concat(DropReasonTable.Generic).Where(n => !Kernel.DropReasons.Values.Contains(n))];

        Assert.True(unknown.Length == 0, $"not reasons of this kernel: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void The_reasons_the_issue_names_have_a_remedy()
    {
        foreach (string r in new[] { "NETFILTER_DROP", "NO_SOCKET", "TCP_LISTEN_OVERFLOW", "TCP_RFC7323_PAWS", "TCP_RFC7323_TW_PAWS", "SOCKET_RCVBUFF", "PROTO_MEM", "TCP_CSUM", "TCP_ZEROWINDOW", "QUEUE_PURGE" })
        {
            Assert.False(string.IsNullOrWhiteSpace(DropReasonTable.Find(r)?.Remedy), r);
        }
    }
}
