using TcpScope.Decode;
using TcpScope.Decode.Abi;
using TcpScope.Lab;
using TcpScope.Lab.Scenarios;
using TcpScope.Sources;

namespace TcpScope.IntegrationTests;

/// <summary>drops --count's kernel counting on the lab's scenarios, against the lab's own counters.</summary>
public class LabDropCountTests
{
    [PrivilegedFact]
    public void Counting_a_blackholed_connect_gives_one_row_equal_to_the_client_syns()
    {
        DropCountSource? source = null, byPort = null;
        try
        {
            LabResult lab = LabRun.Execute(new ConnectTimeoutScenario(), new LabOptions { Timeout = TimeSpan.FromSeconds(2.5) }, CancellationToken.None, _ =>
            {
                source = DropCountSource.Start(new StatesFilter(), new TraceOptions());
                // a port filter takes the other way through the kernel program (the whole segment is read)
                byPort = DropCountSource.Start(new StatesFilter { LocalPorts = [81] }, new TraceOptions());
            });
            Assert.NotNull(source);
            Assert.Empty(source.Degraded);
            Assert.DoesNotContain("drops_reset", source.Attached);
            var counts = new Dictionary<DropCountKey, ulong>();
            source.Read(counts);

            uint server = lab.Namespace(LabRun.ServerRole).Inode;
            long retransmits = lab.Namespace(LabRun.ClientRole).CounterDeltas.GetValueOrDefault("TcpExtTCPSynRetrans");
            Assert.True(retransmits > 0, "the client's kernel counted no SYN retransmit");
            DropCountRow row = Assert.Single(new DropCountDeltas(KernelEnums.FromKernel()).Advance(counts, 1.0), r => r.NetNs == server);
            Assert.Equal(("NETFILTER_DROP", (TcpState?)null, (ulong)(1 + retransmits)), (row.Reason, row.State, row.Count));
            Assert.Equal(0ul, source.NotCounted);

            Assert.NotNull(byPort);
            byPort.Read(counts);
            Assert.Equal(row with { Total = row.Count }, Assert.Single(new DropCountDeltas(KernelEnums.FromKernel()).Advance(counts, 1.0), r => r.NetNs == server) with { Total = row.Count });
        }
        finally
        {
            source?.Dispose();
            byPort?.Dispose();
        }
    }

    [PrivilegedFact]
    public void A_listener_drop_is_counted_by_its_state_alike_through_both_kernel_paths_and_by_owner()
    {
        // a handshake ACK at a full accept queue: dropped on the listener (state LISTEN) with TCP_LISTEN_OVERFLOW.
        // No filter takes the direct-load path; a port filter and an owner filter take the full one.
        DropCountSource? all = null, byPort = null, byOwner = null, byOtherOwner = null;
        try
        {
            LabResult lab = LabRun.Execute(new AcceptOverflowScenario(), new LabOptions { Variant = "ack-time" }, CancellationToken.None, _ =>
            {
                all = DropCountSource.Start(new StatesFilter(), new TraceOptions());
                byPort = DropCountSource.Start(new StatesFilter { LocalPorts = [8080] }, new TraceOptions());
                byOwner = DropCountSource.Start(new StatesFilter { Comm = "lab-server" }, new TraceOptions());
                byOtherOwner = DropCountSource.Start(new StatesFilter { Comm = "no-such-comm" }, new TraceOptions());
            });
            uint server = lab.Namespace(LabRun.ServerRole).Inode;
            long overflows = lab.Namespace(LabRun.ServerRole).CounterDeltas.GetValueOrDefault("TcpExtListenOverflows");
            KernelEnums enums = KernelEnums.FromKernel();

            DropCountRow Overflow(DropCountSource? source)
            {
                Assert.NotNull(source);
                var counts = new Dictionary<DropCountKey, ulong>();
                source.Read(counts);
                return Assert.Single(new DropCountDeltas(enums).Advance(counts, 1.0), r => r.NetNs == server && r.Reason == "TCP_LISTEN_OVERFLOW");
            }

            DropCountRow row = Overflow(all);
            Assert.Equal(TcpState.LISTEN, row.State);
            // the counter also counts SYN-time overflows, which kfree_skb never sees
            Assert.InRange((long)row.Count, 1, overflows);
            Assert.Equal(row, Overflow(byPort));
            Assert.Equal(row, Overflow(byOwner));
            Assert.NotNull(byOtherOwner);
            var none = new Dictionary<DropCountKey, ulong>();
            byOtherOwner.Read(none);
            Assert.DoesNotContain(none, kv => kv.Key.NetNs == server);
        }
        finally
        {
            all?.Dispose();
            byPort?.Dispose();
            byOwner?.Dispose();
            byOtherOwner?.Dispose();
        }
    }
}
