using TcpScope.Decode;
using TcpScope.Decode.Abi;

namespace TcpScope.Tests;

/// <summary>drops --count: the kernel's running counts turned into the rows of each interval.</summary>
public class DropCountDeltasTests
{
    private static readonly KernelEnums Enums = KernelEnums.FromTables(
        [
            new KernelEnumTable(KernelEnumTable.DropReasons, [new(2, "SKB_DROP_REASON_NO_SOCKET"), new(6, "SKB_DROP_REASON_NETFILTER_DROP")]),
            new KernelEnumTable(KernelEnumTable.TcpStates, [new(1, "TCP_ESTABLISHED"), new(10, "TCP_LISTEN")]),
        ],
        "test");

    private static readonly DropCountKey Firewall = new(100, 6, 0xffff0001, 0);
    private static readonly DropCountKey Closed = new(100, 2, 0xffff0002, 0);
    private static readonly DropCountKey Listener = new(200, 2, 0xffff0002, 10);

    [Fact]
    public void The_first_read_gives_every_key_most_first_with_names_and_rates()
    {
        var deltas = new DropCountDeltas(Enums);

        IReadOnlyList<DropCountRow> rows = deltas.Advance(new Dictionary<DropCountKey, ulong> { [Closed] = 3, [Firewall] = 8, [Listener] = 1 }, 2.0);

        Assert.Equal(
            [
                new DropCountRow(100, 6, "NETFILTER_DROP", 0xffff0001, null, 8, 8, 4.0),
                new DropCountRow(100, 2, "NO_SOCKET", 0xffff0002, null, 3, 3, 1.5),
                new DropCountRow(200, 2, "NO_SOCKET", 0xffff0002, TcpState.LISTEN, 1, 1, 0.5),
            ],
            rows);
        Assert.Equal(12ul, deltas.Total);
    }

    [Fact]
    public void Later_reads_give_only_what_each_key_gained_and_totals_keep_everything()
    {
        var deltas = new DropCountDeltas(Enums);
        deltas.Advance(new Dictionary<DropCountKey, ulong> { [Closed] = 3, [Firewall] = 8 }, 1.0);

        IReadOnlyList<DropCountRow> rows = deltas.Advance(new Dictionary<DropCountKey, ulong> { [Closed] = 10, [Firewall] = 8, [Listener] = 2 }, 0.5);

        Assert.Equal(
            [
                new DropCountRow(100, 2, "NO_SOCKET", 0xffff0002, null, 7, 10, 14.0),
                new DropCountRow(200, 2, "NO_SOCKET", 0xffff0002, TcpState.LISTEN, 2, 2, 4.0),
            ],
            rows);
        Assert.Equal(20ul, deltas.Total);
        Assert.Equal(
            [
                new DropCountRow(100, 2, "NO_SOCKET", 0xffff0002, null, 10, 10, 1.0),
                new DropCountRow(100, 6, "NETFILTER_DROP", 0xffff0001, null, 8, 8, 0.8),
                new DropCountRow(200, 2, "NO_SOCKET", 0xffff0002, TcpState.LISTEN, 2, 2, 0.2),
            ],
            deltas.Totals(10.0));
    }

    [Fact]
    public void A_quiet_interval_has_no_rows_and_an_unknown_reason_keeps_its_number()
    {
        var deltas = new DropCountDeltas(Enums);
        var unknown = new DropCountKey(100, 77, 0xffff0003, 0);
        deltas.Advance(new Dictionary<DropCountKey, ulong> { [unknown] = 1 }, 1.0);

        Assert.Empty(deltas.Advance(new Dictionary<DropCountKey, ulong> { [unknown] = 1 }, 1.0));
        DropCountRow row = Assert.Single(deltas.Totals(2.0));
        Assert.Equal((77, (string?)null), (row.ReasonNumber, row.Reason));
    }

    [Fact]
    public void A_drop_the_kernel_cannot_place_has_no_state_and_says_so()
    {
        var unknown = new DropCountKey(100, 6, 0xffff0001, DropCountKey.StateUnknown);

        DropCountRow row = Assert.Single(new DropCountDeltas(Enums).Advance(new Dictionary<DropCountKey, ulong> { [unknown] = 2 }, 1.0));

        Assert.Equal(((TcpState?)null, true), (row.State, row.SocketUnknown));
        Assert.False(Assert.Single(new DropCountDeltas(Enums).Advance(new Dictionary<DropCountKey, ulong> { [Firewall] = 2 }, 1.0)).SocketUnknown);
    }
}
