using TcpScope.Bpf;
using TcpScope.Decode.Abi;

namespace TcpScope.Tests;

/// <summary>
/// The enums and flag values shared by bpf/tcpscope.h and the C# mirrors, against the compiled
/// objects' BTF: every C member has its C# counterpart with the same value, and no C# member
/// (but a flags type's None) lacks one. The pairing of names is written down here, not derived.
/// </summary>
public class AbiEnumContractTests
{
    public static TheoryData<string, string, (object Value, string CName)[]> Enums(string objectName) => new()
    {
        {
            objectName, "TS_EVENT_STATE",
            [
                (EventKind.State, "TS_EVENT_STATE"), (EventKind.Retransmit, "TS_EVENT_RETRANSMIT"),
                (EventKind.ResetReceived, "TS_EVENT_RESET_RECEIVED"), (EventKind.ResetSent, "TS_EVENT_RESET_SENT"),
                (EventKind.SocketError, "TS_EVENT_SOCK_ERROR"), (EventKind.Accept, "TS_EVENT_ACCEPT"),
                (EventKind.ConnectReturn, "TS_EVENT_CONNECT_RETURN"), (EventKind.Totals, "TS_EVENT_TOTALS"),
                (EventKind.Stack, "TS_EVENT_STACK"), (EventKind.IcmpError, "TS_EVENT_ICMP_ERROR"), (EventKind.Gone, "TS_EVENT_GONE"),
                (EventKind.Drop, "TS_EVENT_DROP"), (EventKind.DropReset, "TS_EVENT_DROP_RESET"),
            ]
        },
        {
            objectName, "TS_COUNTER_LOST",
            [
                (Counter.Lost, "TS_COUNTER_LOST"), (Counter.SocketsFull, "TS_COUNTER_SOCKETS_FULL"),
                (Counter.ListenersFull, "TS_COUNTER_LISTENERS_FULL"), (Counter.AttemptsFull, "TS_COUNTER_ATTEMPTS_FULL"),
                (Counter.Gone, "TS_COUNTER_GONE"),
                (Counter.DropKeysFull, "TS_COUNTER_DROP_KEYS_FULL"),
            ]
        },
        {
            objectName, "TS_STATE_DELTA_KNOWN",
            [
                (StateEventFlags.DeltaKnown, "TS_STATE_DELTA_KNOWN"), (StateEventFlags.OwnerKnown, "TS_STATE_OWNER_KNOWN"),
                (StateEventFlags.OwnerFromListener, "TS_STATE_OWNER_LISTENER"), (StateEventFlags.AfterLoss, "TS_STATE_AFTER_LOSS"),
            ]
        },
    };

    public static TheoryData<string, string, (object Value, string CName)[]> StatesEnums => Enums(EmbeddedObjects.States);

    public static TheoryData<string, string, (object Value, string CName)[]> ConnEnums
    {
        get
        {
            TheoryData<string, string, (object Value, string CName)[]> all = Enums(EmbeddedObjects.Connections);
            all.Add(EmbeddedObjects.Connections, "TS_SOCK_AFTER_LOSS", [(SockEventFlags.AfterLoss, "TS_SOCK_AFTER_LOSS")]);
            all.Add(EmbeddedObjects.Connections, "TS_TOTALS_FIN_RECEIVED",
            [
                (TotalsFlags.FinReceived, "TS_TOTALS_FIN_RECEIVED"), (TotalsFlags.FinAcked, "TS_TOTALS_FIN_ACKED"),
                (TotalsFlags.AfterLoss, "TS_TOTALS_AFTER_LOSS"),
            ]);
            all.Add(EmbeddedObjects.Connections, "TS_STACK_KERNEL_AT_END",
            [
                (StackWhere.KernelAtEnd, "TS_STACK_KERNEL_AT_END"), (StackWhere.UserAtConnect, "TS_STACK_USER_AT_CONNECT"),
                (StackWhere.KernelAtDrop, "TS_STACK_KERNEL_AT_DROP"),
            ]);
            return all;
        }
    }

    public static TheoryData<string, string, (object Value, string CName)[]> DropsEnums
    {
        get
        {
            TheoryData<string, string, (object Value, string CName)[]> all = Enums(EmbeddedObjects.Drops);
            all.Add(EmbeddedObjects.Drops, "TS_DROP_SOCKET",
            [
                (DropEventFlags.Socket, "TS_DROP_SOCKET"), (DropEventFlags.Packet, "TS_DROP_PACKET"), (DropEventFlags.Timestamp, "TS_DROP_TIMESTAMP"),
                (DropEventFlags.OwnerKnown, "TS_DROP_OWNER_KNOWN"), (DropEventFlags.OwnerFromListener, "TS_DROP_OWNER_LISTENER"),
                (DropEventFlags.Listener, "TS_DROP_LISTENER"), (DropEventFlags.TimeWait, "TS_DROP_TIMEWAIT"),
                (DropEventFlags.NoReason, "TS_DROP_NO_REASON"), (DropEventFlags.NoReceivingSocket, "TS_DROP_NO_RX_SK"),
            ]);
            all.Add(EmbeddedObjects.Drops, "TS_STACK_KERNEL_AT_END",
            [
                (StackWhere.KernelAtEnd, "TS_STACK_KERNEL_AT_END"), (StackWhere.UserAtConnect, "TS_STACK_USER_AT_CONNECT"),
                (StackWhere.KernelAtDrop, "TS_STACK_KERNEL_AT_DROP"),
            ]);
            return all;
        }
    }

    [Theory]
    [MemberData(nameof(StatesEnums))]
    [MemberData(nameof(ConnEnums))]
    [MemberData(nameof(DropsEnums))]
    public void A_shared_enum_has_the_same_members_and_values_on_both_sides(string objectName, string aMember, (object Value, string CName)[] pairs)
    {
        using BpfObject obj = BpfObject.OpenEmbedded(objectName);
        IReadOnlyDictionary<long, string> c = obj.Btf.EnumContaining(aMember)
            ?? throw new Xunit.Sdk.XunitException($"the enum of {aMember} is not in {objectName}'s BTF");
        Dictionary<string, long> inC = c.Where(kv => !kv.Value.EndsWith("_MAX", StringComparison.Ordinal)).ToDictionary(kv => kv.Value, kv => kv.Key);

        // every C member is paired, with the value the C# member has
        Assert.Equal(inC.Keys.Order(), pairs.Select(p => p.CName).Order());
        foreach ((object value, string cName) in pairs)
        {
            Assert.True(inC[cName] == Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture), $"{cName} is {inC[cName]} in C, {value} = {Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)} in C#");
        }

        // and no C# member is left without a C one
        Type type = pairs[0].Value.GetType();
        IEnumerable<object> csharp = Enum.GetValues(type).Cast<object>().Where(v => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture) != 0 || type != typeof(StateEventFlags) && type != typeof(SockEventFlags) && type != typeof(TotalsFlags) && type != typeof(DropEventFlags));
        Assert.Equal(csharp.Select(v => v.ToString()).Order(), pairs.Select(p => p.Value.ToString()).Order());
    }
}
