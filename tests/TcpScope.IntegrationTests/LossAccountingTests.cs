using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using TcpScope.Lab;

namespace TcpScope.IntegrationTests;

/// <summary>
/// Under pressure nothing is lost uncounted and nothing is made up: with the reader frozen
/// (SIGSTOP) during a storm the ring overflows, and every record the kernel meant to send is
/// either delivered or counted as lost; no record folds two sockets together; a table that is
/// full says how many sockets it did not follow.
/// </summary>
public class LossAccountingTests
{
    private const string Client = "CLOSE>SYN_SENT>ESTABLISHED>FIN_WAIT1>FIN_WAIT2>CLOSE";
    private const string Server = "LISTEN>SYN_RECV>ESTABLISHED>CLOSE_WAIT>LAST_ACK>CLOSE";

    /// <summary>Every transition inet_sock_set_state reports on Linux (TIME_WAIT and NEW_SYN_RECV never appear).</summary>
    private static readonly HashSet<string> Legal =
    [
        "CLOSE>SYN_SENT", "CLOSE>LISTEN", "CLOSE>CLOSE", "LISTEN>SYN_RECV", "LISTEN>CLOSE",
        "SYN_SENT>ESTABLISHED", "SYN_SENT>CLOSE", "SYN_RECV>ESTABLISHED", "SYN_RECV>CLOSE", "SYN_RECV>FIN_WAIT1",
        "ESTABLISHED>FIN_WAIT1", "ESTABLISHED>CLOSE_WAIT", "ESTABLISHED>CLOSE",
        "FIN_WAIT1>FIN_WAIT2", "FIN_WAIT1>CLOSING", "FIN_WAIT1>CLOSE", "FIN_WAIT2>FIN_WAIT2", "FIN_WAIT2>CLOSE",
        "CLOSING>CLOSE", "CLOSE_WAIT>LAST_ACK", "CLOSE_WAIT>CLOSE", "LAST_ACK>CLOSE",
    ];

    [PrivilegedTheory]
    [InlineData("states", LoopbackStorm.StateRecordsPerConnection)]
    [InlineData("life", LoopbackStorm.ConnRecordsPerConnection)]
    public void With_the_ring_overflowing_events_and_lost_add_up_to_what_the_storm_made(string verb, int perConnection)
    {
        using NetworkNamespace ns = NetworkNamespace.Create("ts-loss");
        using TracerProcess tracer = TracerProcess.Start(verb, "--json", "--ring-size", "1", "--netns", Inode(ns));
        // frozen for the storm's first part (the ring overflows), drained again during the rest:
        // connections alive at the thaw lose some of their records, not all
        tracer.Freeze();
        LoopbackStorm.Result? storm = null;
        Task running;
        try
        {
            running = ns.RunInBackground(() => storm = LoopbackStorm.Run(6000, limit: TimeSpan.FromSeconds(40)));
            Thread.Sleep(500);
        }
        finally
        {
            tracer.Thaw();
        }

        Assert.True(running.Wait(TimeSpan.FromSeconds(60)), "the storm did not end within 60 s");

        Thread.Sleep(300);
        (List<JsonElement> lines, _) = tracer.Finish();

        JsonElement summary = lines[^1];
        Assert.Equal("summary", summary.GetProperty("type").GetString());
        long events = summary.GetProperty("events").GetInt64(), lost = summary.GetProperty("lost").GetInt64();
        // life's programs add a record for each socket whose CLOSE record was lost (counted apart)
        long notices = summary.GetProperty("loss_notices").GetInt64();
        long expected = ((long)storm!.Established * perConnection) + LoopbackStorm.ListenerRecords + notices;
        Assert.True(lost > 0, $"the 1 MiB ring did not overflow ({events} events for {storm.Established} connections): the test proves nothing");
        Assert.True(events + lost == expected, $"{events} events + {lost} lost = {events + lost}, the storm made {expected} ({storm.Established} connections x {perConnection} + {LoopbackStorm.ListenerRecords} + {notices} loss notices)");
        Assert.True(verb == "life" || notices == 0, $"{verb} has no loss notices, yet {notices} were counted");
        Assert.Equal(0, summary.GetProperty("malformed").GetInt64());

        if (verb == "life")
        {
            AssertNoRecordIsSpliced(lines, summary);
        }
    }

    /// <summary>
    /// Every close record's path is made of transitions the kernel makes, and is a stretch of
    /// one socket's path in this storm (a client's or a server's), never a mix of both; byte
    /// counts, where present, are the storm's payload.
    /// </summary>
    private static void AssertNoRecordIsSpliced(List<JsonElement> lines, JsonElement summary)
    {
        List<JsonElement> closes = [.. lines.Where(l => l.GetProperty("type").GetString() == "life" && l.GetProperty("event").GetString() == "close")];
        Assert.NotEmpty(closes);
        int incomplete = 0;
        foreach (JsonElement c in closes)
        {
            string[] path = [.. c.GetProperty("path").EnumerateArray().Select(s => s.GetString()!)];
            string text = string.Join('>', path);
            for (int i = 1; i < path.Length; i++)
            {
                Assert.True(Legal.Contains($"{path[i - 1]}>{path[i]}"), $"impossible transition {path[i - 1]}>{path[i]} in {text}");
            }

            bool complete = c.GetProperty("complete").GetBoolean();
            incomplete += complete ? 0 : 1;
            Assert.True(Client.Contains(text, StringComparison.Ordinal) || Server.Contains(text, StringComparison.Ordinal), $"{text} is not one socket's path");
            if (complete && c.GetProperty("open_seen").GetBoolean())
            {
                Assert.True(text is Client or Server, $"a complete record with its opening seen has path {text}");
            }

            if (c.TryGetProperty("bytes_sent", out JsonElement tx))
            {
                Assert.Equal(LoopbackStorm.Payload, tx.GetInt32());
                Assert.Equal(LoopbackStorm.Payload, c.GetProperty("bytes_received").GetInt32());
            }
        }

        Assert.Equal(incomplete, summary.GetProperty("records_incomplete").GetInt32());
        Assert.True(incomplete > 0, "records of sockets were lost, yet no record says it is incomplete");
    }

    [PrivilegedFact]
    public void Connect_stacks_belong_to_their_own_attempt_when_half_the_connects_are_refused()
    {
        using NetworkNamespace ns = NetworkNamespace.Create("ts-stacks");
        using TracerProcess tracer = TracerProcess.Start("connect", "--json", "--stacks", "--netns", Inode(ns));
        LoopbackStorm.Result storm = ns.Run(() => LoopbackStorm.Run(600, refusedEvery: 2, limit: TimeSpan.FromSeconds(30)));
        Thread.Sleep(300);
        (List<JsonElement> lines, _) = tracer.Finish();

        List<JsonElement> attempts = [.. lines.Where(l => l.GetProperty("type").GetString() == "connect")];
        Assert.Equal(storm.Established + storm.Refused, attempts.Count);
        foreach (JsonElement a in attempts)
        {
            string outcome = a.GetProperty("outcome").GetString()!;
            string[] kernel = Frames(a, "kernel_stack");
            Assert.NotEmpty(kernel);
            Assert.NotEmpty(Frames(a, "user_stack"));
            int port = a.GetProperty("rport").GetInt32();
            // the SYN-ACK path ends the attempt in tcp_finish_connect; the RST path in tcp_reset/tcp_done
            if (outcome == "established")
            {
                Assert.Equal(storm.ListenerPort, port);
                Assert.Contains(kernel, f => f.StartsWith("tcp_finish_connect", StringComparison.Ordinal));
            }
            else
            {
                Assert.Equal(("refused", storm.ClosedPort), (outcome, port));
                Assert.DoesNotContain(kernel, f => f.StartsWith("tcp_finish_connect", StringComparison.Ordinal));
                Assert.Contains(kernel, f => f.StartsWith("tcp_reset", StringComparison.Ordinal) || f.StartsWith("tcp_done", StringComparison.Ordinal));
            }
        }
    }

    [PrivilegedFact]
    public void Sockets_beyond_max_sockets_are_counted_in_the_summary()
    {
        const int Held = 700; // 1 400 sockets and a listener against a table of 1 024
        using NetworkNamespace ns = NetworkNamespace.Create("ts-full");
        using TracerProcess tracer = TracerProcess.Start("life", "--json", "--max-sockets", "1024", "--netns", Inode(ns));
        ns.Run(() => HoldThenClose(Held));
        Thread.Sleep(300);
        (List<JsonElement> lines, _) = tracer.Finish();

        JsonElement summary = lines[^1];
        // the listener and the first 1 023 sockets fill the table; every socket opened after them is counted once
        Assert.Equal((2 * Held) + 1 - 1024, summary.GetProperty("sockets_not_followed").GetInt64());
        Assert.Equal(0, summary.GetProperty("lost").GetInt64());
        // accept() names the owner only of the followed children: fewer than all, at least some
        int accepted = lines.Count(l => l.GetProperty("type").GetString() == "life" && l.GetProperty("event").GetString() == "accept");
        Assert.InRange(accepted, 1, 1023);
    }

    private static int HoldThenClose(int n)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(n);
        var held = new List<Socket>();
        try
        {
            for (int i = 0; i < n; i++)
            {
                var c = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                held.Add(c);
                c.Connect(listener.LocalEndPoint!);
                held.Add(LoopbackExchange.Accept(listener));
            }

            Thread.Sleep(200);
        }
        finally
        {
            held.ForEach(s => s.Dispose());
        }

        Thread.Sleep(200);
        return n;
    }

    private static string[] Frames(JsonElement a, string name) =>
        a.TryGetProperty(name, out JsonElement f) && f.ValueKind == JsonValueKind.Array ? [.. f.EnumerateArray().Select(x => x.GetString()!)] : [];

    private static string Inode(NetworkNamespace ns) => ns.Inode.ToString(CultureInfo.InvariantCulture);
}
