using System.Globalization;
using TcpScope.Correlation;
using TcpScope.Decode;
using TcpScope.Records;

namespace TcpScope.Output;

/// <summary>The pieces of `life` and `connect` lines: time, owner, endpoints, outcome, errno.</summary>
public static class ConnectionText
{
    public static string Time(long monotonicNs, long wallOffsetNs) =>
        LocalTime(monotonicNs, wallOffsetNs).ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    /// <summary>The local wall-clock time of an event's monotonic timestamp.</summary>
    public static DateTime LocalTime(long monotonicNs, long wallOffsetNs) => new WallClock(wallOffsetNs).Utc(monotonicNs).ToLocalTime();

    public static string Pid(Connection c) => c.OwnerSource == OwnerSource.Unknown ? "?" : c.OwnerPid.ToString(CultureInfo.InvariantCulture);

    public static string Comm(Connection c) => c.OwnerSource == OwnerSource.Unknown ? "unknown" : c.OwnerComm;

    public static string Family(Connection c) => c.Family == AddressFamilyKind.IPv6 ? "6" : "4";

    public static string Local(Connection c) => AddressText.Endpoint(c.Family, c.LocalAddress, c.LocalPort);

    public static string Remote(Connection c) => AddressText.Endpoint(c.Family, c.RemoteAddress, c.RemotePort);

    /// <summary>The states it went through; "?" where records of it were lost before or after them.</summary>
    public static string Path(Connection c) =>
        (c.StartLost ? "?>" : "") + string.Join('>', c.Path.Select(StateNames.Of)) + (c.EndLost ? ">?" : "");

    /// <summary>Its lifetime is exact: the trace saw it open and close (else it is a lower bound).</summary>
    public static bool LifetimeKnown(Connection c) => c.OpenSeen && !c.EndLost;

    /// <summary>Whether <see cref="Ending"/> has something to say (most connections just close).</summary>
    public static bool HasEnding(Connection c) =>
        c.ResetReceivedIn is not null || c.ResetsSent > 0 || c.SocketError is int e && e != 0 || c.Incomplete;

    /// <summary>How it ended when that was not a plain close: resets received or sent, the error the application saw, lost events.</summary>
    public static string Ending(Connection c)
    {
        var parts = new List<string>(3);
        if (c.ResetReceivedIn is TcpState rin)
        {
            parts.Add($"RST received in {StateNames.Of(rin)}");
        }

        if (c.ResetsSent > 0)
        {
            string reason = c.LastResetReason is null ? "" : $", {c.LastResetReason}";
            string where = c.LastResetSentIn is TcpState s ? $" in {StateNames.Of(s)}" : "";
            parts.Add(c.ResetsSent == 1 ? $"RST sent{where}{reason}" : $"{c.ResetsSent} RSTs sent, last{where}{reason}");
        }

        if (c.SocketError is int err && err != 0)
        {
            parts.Add($"error {Errno(err)}");
        }

        if (c.Incomplete)
        {
            parts.Add("records of it lost: incomplete");
        }

        return parts.Count == 0 ? "" : "  " + string.Join("; ", parts);
    }

    public static string Ms(long ns) => Durations.MsText(ns);

    /// <summary>"ETIMEDOUT (110)".</summary>
    public static string Errno(int errno) => $"{Interop.Errors.Name(errno)} ({Math.Abs(errno)})";

    public static string Outcome(ConnectOutcome o) => o switch
    {
        ConnectOutcome.Established => "established",
        ConnectOutcome.Refused => "refused",
        ConnectOutcome.TimedOut => "timed out",
        ConnectOutcome.Aborted => "aborted by app",
        ConnectOutcome.Unreachable => "unreachable",
        ConnectOutcome.ResetAfterBadAck => "reset, bad ACK",
        ConnectOutcome.InProgress => "in progress",
        _ => o.ToString(),
    };
}
