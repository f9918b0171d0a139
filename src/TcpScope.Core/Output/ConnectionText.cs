using System.Globalization;
using TcpScope.Correlation;
using TcpScope.Decode;

namespace TcpScope.Output;

/// <summary>The pieces of `life` and `connect` lines: time, owner, endpoints, outcome, errno.</summary>
public static class ConnectionText
{
    public static string Time(long monotonicNs, long wallOffsetNs) =>
        new DateTime(DateTime.UnixEpoch.Ticks + ((monotonicNs + wallOffsetNs) / 100), DateTimeKind.Utc)
            .ToLocalTime()
            .ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    public static string Pid(Connection c) => c.OwnerSource == OwnerSource.Unknown ? "?" : c.OwnerPid.ToString(CultureInfo.InvariantCulture);

    public static string Comm(Connection c) => c.OwnerSource == OwnerSource.Unknown ? "unknown" : c.OwnerComm;

    public static string Family(Connection c) => c.Family == AddressFamilyKind.IPv6 ? "6" : "4";

    public static string Local(Connection c) => AddressText.Endpoint(c.Family, c.LocalAddress, c.LocalPort);

    public static string Remote(Connection c) => AddressText.Endpoint(c.Family, c.RemoteAddress, c.RemotePort);

    public static string Path(Connection c) => string.Join('>', c.Path.Select(StateNames.Of));

    public static string Ms(long ns) => (ns / 1e6).ToString("0.000", CultureInfo.InvariantCulture);

    public static string Seconds(long ns) => (ns / 1e9).ToString("0.000", CultureInfo.InvariantCulture);

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
        _ => o.ToString(),
    };

    /// <summary>Stable lower-case names for JSON.</summary>
    public static string OutcomeId(ConnectOutcome o) => o switch
    {
        ConnectOutcome.Established => "established",
        ConnectOutcome.Refused => "refused",
        ConnectOutcome.TimedOut => "timed_out",
        ConnectOutcome.Aborted => "aborted",
        ConnectOutcome.Unreachable => "unreachable",
        ConnectOutcome.ResetAfterBadAck => "reset_after_bad_ack",
        _ => o.ToString().ToLowerInvariant(),
    };

    public static string OwnerSourceId(OwnerSource s) => s switch
    {
        OwnerSource.Syscall => "syscall",
        OwnerSource.Accept => "accept",
        OwnerSource.Listener => "listener",
        _ => "unknown",
    };
}
