using System.Text.Json.Serialization;
using TcpScope.Correlation;
using TcpScope.Decode;
using TcpScope.Output;

namespace TcpScope.Records;

/// <summary>One connect attempt ("type":"connect"): outcome, duration, SYN retransmits, the error the application saw, optional stacks.</summary>
public sealed record ConnectRecord : ConnectionRecord
{
    public ConnectRecord(ConnectAttempt a, AttemptStacks? stacks, WallClock clock)
        : base("connect", a.StartNs, clock, a.Connection)
    {
        Connection c = a.Connection;
        Outcome = a.Outcome;
        DurationMs = Durations.Ms(a.DurationNs);
        SynRetransmitsS = [.. a.SynRetransmitOffsetsNs.Select(o => Durations.Seconds(o, 6))];
        Errno = a.Error;
        Error = a.Error is int err ? Interop.Errors.Name(err) : null;
        ConnectReturn = c.ConnectReturn;
        Icmp = c.Icmp is IcmpError icmp ? new IcmpRecord(icmp.OffenderText, icmp.Type, icmp.Code, icmp.Description, icmp.Error) : null;
        ResetsSentToBadAck = c.ResetsSentInSynSent;
        KernelStack = stacks?.Kernel;
        UserStack = stacks?.User;
        UserStackNote = stacks?.UserNote;
    }

    public ConnectOutcome Outcome { get; }

    public double DurationMs { get; }

    /// <summary>When each SYN was sent again, in seconds after the first.</summary>
    [JsonPropertyName("syn_retransmits_s")]
    public IReadOnlyList<double> SynRetransmitsS { get; }

    public int? Errno { get; }

    public string? Error { get; }

    /// <summary>What connect() returned, when the trace saw it return.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ConnectReturn { get; }

    public IcmpRecord? Icmp { get; }

    public int ResetsSentToBadAck { get; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? KernelStack { get; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? UserStack { get; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UserStackNote { get; }
}
