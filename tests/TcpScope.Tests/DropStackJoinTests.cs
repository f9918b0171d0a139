using TcpScope.Decode;
using TcpScope.Decode.Abi;
using TcpScope.Output;
using static TcpScope.Tests.Events;

namespace TcpScope.Tests;

/// <summary>--stacks: each drop waits for its stack (same timestamp), in order, at most one batch.</summary>
public class DropStackJoinTests
{
    private static (List<string> Written, DropStackJoin Join) Make(bool stacks)
    {
        var written = new List<string>();
        var join = new DropStackJoin(stacks, (in PacketDrop d, ulong[]? f) => written.Add($"{d.Kind} {d.TimestampNs} {(f is null ? "-" : string.Join(',', f))}"));
        return (written, join);
    }

    private static void Stack(DropStackJoin j, long ts, StackWhere where = StackWhere.KernelAtDrop) =>
        j.OnStack(new StackSample(ts, NetNs, 0, 0, where, [(ulong)ts * 10, (ulong)ts * 10 + 1]));

    [Fact]
    public void Without_stacks_a_drop_is_written_at_once()
    {
        (List<string> written, DropStackJoin j) = Make(stacks: false);

        j.OnDrop(Drop(1, "NO_SOCKET"));

        Assert.Equal(["Drop 1 -"], written);
    }

    [Fact]
    public void A_drop_is_written_with_its_stack_and_everything_stays_in_order()
    {
        (List<string> written, DropStackJoin j) = Make(stacks: true);

        j.OnDrop(Drop(1, "NO_SOCKET"));
        j.OnDrop(Drop(2, "NO_SOCKET", kind: DropKind.Reset));
        j.OnDrop(Drop(3, "NO_SOCKET"));
        Stack(j, 3);
        Stack(j, 1);
        Stack(j, 2, StackWhere.KernelAtEnd); // another family's: not a drop's
        Assert.Empty(written);
        j.OnIdle();

        Assert.Equal(["Drop 1 10,11", "Reset 2 -", "Drop 3 30,31"], written);
    }

    [Fact]
    public void A_drop_waits_one_batch_for_its_stack_then_goes_without()
    {
        (List<string> written, DropStackJoin j) = Make(stacks: true);

        j.OnDrop(Drop(1, "NO_SOCKET"));
        j.OnDrop(Drop(2, "NO_SOCKET"));
        Stack(j, 2);
        j.OnIdle();
        Assert.Empty(written); // 2 is ready, but 1 is before it
        j.OnIdle();

        Assert.Equal(["Drop 1 -", "Drop 2 20,21"], written);
    }

    [Fact]
    public void The_end_writes_what_still_waits()
    {
        (List<string> written, DropStackJoin j) = Make(stacks: true);

        j.OnDrop(Drop(1, "NO_SOCKET"));
        j.Flush();

        Assert.Equal(["Drop 1 -"], written);
    }
}
