using System.CommandLine;

namespace TcpScope.Cli;

/// <summary>
/// `--record FILE` (record what the live source delivers, beside the verb's own output) and
/// `--from FILE` (replay a recording instead of tracing: no BPF, no privileges). With --from,
/// the options that only act while tracing are refused: the kernel filters and the ring size
/// shaped the recording when it was made, and a replay lasts as long as the recording.
/// </summary>
public sealed class RecordingOptions
{
    public Option<string?> Record { get; } = new("--record")
    {
        Description = "Also record what the trace delivers to this file (replay it with --from)",
        HelpName = "file",
    };

    public Option<string?> From { get; } = new("--from")
    {
        Description = "Read a recording (tcpscope record, or --record) instead of tracing: no BPF, no privileges; "
            + "prints what the live run printed. Kernel filters, --ring-size and --duration act while tracing and are refused with it",
        HelpName = "file",
    };

    public void AddTo(Command c, TraceFilterOptions filters, TraceRunOptions run)
    {
        c.Options.Add(Record);
        c.Options.Add(From);
        Option[] kernelFilters = [filters.LocalPorts, filters.RemotePorts, filters.IPv4, filters.IPv6, filters.Pid, filters.Comm, filters.NetNs];
        c.Validators.Add(r =>
        {
            if (r.GetResult(From) is null)
            {
                return;
            }

            if (r.GetResult(Record) is not null)
            {
                r.AddError("--from and --record exclude each other (a recording is copied with cp)");
            }

            foreach (Option o in kernelFilters)
            {
                if (r.GetResult(o) is { Implicit: false })
                {
                    r.AddError($"{o.Name} filters in the kernel while tracing, not a recording: it is refused with --from (give it to the run that records)");
                }
            }

            if (r.GetResult(run.RingSize) is { Implicit: false })
            {
                r.AddError("--ring-size sizes the kernel's ring while tracing: it is refused with --from (a replay reads the whole recording)");
            }

            if (r.GetResult(run.MaxSockets) is { Implicit: false })
            {
                r.AddError("--max-sockets was fixed when the recording was made: it is refused with --from (a replay follows as many connections as the live run did)");
            }

            if (r.GetResult(run.Duration) is { Implicit: false })
            {
                r.AddError("--duration: a replay lasts as long as its recording: it is refused with --from");
            }
        });
    }
}
