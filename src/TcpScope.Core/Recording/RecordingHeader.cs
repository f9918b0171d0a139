using TcpScope.Host;

namespace TcpScope.Recording;

/// <summary>
/// How and where a recording was made: the facts needed to read it truthfully elsewhere
/// (the wall-clock offset turns its monotonic times into dates) and to tell the user whose it is.
/// </summary>
/// <param name="RecordAbiVersion">The ring record layout (<see cref="RecordingFormat.RecordAbiVersion"/>).</param>
/// <param name="WallOffsetNs">Nanoseconds to add to a CLOCK_MONOTONIC time of the recording's host to get Unix time.</param>
/// <param name="StartNs">CLOCK_MONOTONIC when the source was attached.</param>
/// <param name="Source">The source's description ("tp_btf/inet_sock_set_state").</param>
/// <param name="Tool">The TcpScope that wrote it ("tcpscope 1.2.3").</param>
/// <param name="Families">The probe families recorded, comma-separated ("states"; "conn"; "conn,stacks"): what a replay can show.</param>
/// <param name="MaxSockets">--max-sockets of the live run (0: not recorded): a replay follows as many connections at once.</param>
public sealed record RecordingHeader(
    uint RecordAbiVersion,
    long WallOffsetNs,
    long StartNs,
    string KernelRelease,
    string Hostname,
    string BootId,
    string Source,
    string Tool,
    string Families,
    uint MaxSockets = 0)
{
    public const string StatesFamily = "states";
    public const string ConnectionsFamily = "conn";
    public const string StacksFamily = "stacks";
    public const string DropsFamily = "drops";

    public bool Has(string family) => Families.Split(',').Contains(family);

    /// <summary>The facts of this host, now.</summary>
    public static RecordingHeader ForThisHost(string source, string families, long wallOffsetNs, long startNs, uint maxSockets) => new(
        RecordingFormat.RecordAbiVersion,
        wallOffsetNs,
        startNs,
        KernelInfo.Release(),
        KernelInfo.ReadTrimmed("/proc/sys/kernel/hostname") ?? Environment.MachineName,
        ThisBootId(),
        source,
        "tcpscope " + (typeof(RecordingHeader).Assembly.GetName().Version?.ToString(3) ?? "?"),
        families,
        maxSockets);

    /// <summary>This boot's id (/proc/sys/kernel/random/boot_id): a recording made on another boot has other kernel addresses.</summary>
    public static string ThisBootId() => KernelInfo.ReadTrimmed("/proc/sys/kernel/random/boot_id") ?? "";
}
