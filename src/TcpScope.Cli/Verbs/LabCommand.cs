using System.CommandLine;
using TcpScope.Lab;

namespace TcpScope.Cli.Verbs;

/// <summary>`tcpscope lab`: binds the options, then calls <see cref="LabVerb.Run"/>.</summary>
public static class LabCommand
{
    public static Command Create(CliConsole console)
    {
        var scenario = new Argument<string?>("scenario")
        {
            Description = "The scenario to run (see --list)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var list = new Option<bool>("--list") { Description = "Describe every scenario and its variants" };
        var json = new Option<bool>("--json") { Description = "The result as one JSON object" };
        var variant = new Option<string?>("--variant") { Description = "Which variant of the scenario (default: its first)", HelpName = "name" };
        var timeout = new Option<double?>("--timeout")
        {
            Description = $"The clients' own connect timeout in seconds (at most {LabOptions.MaxTimeout.TotalSeconds:0})",
            HelpName = "seconds",
            CustomParser = r => TraceFilterOptions.ParseNumber(r, "--timeout", 1, (uint)LabOptions.MaxTimeout.TotalSeconds),
        };
        var clients = new Option<uint?>("--clients") { Description = "Number of clients (accept-overflow, 1-64)", CustomParser = r => TraceFilterOptions.ParseNumber(r, "--clients", 1, 64) };
        var backlog = new Option<uint?>("--backlog") { Description = "listen() backlog of the server (accept-overflow)", CustomParser = r => TraceFilterOptions.ParseNumber(r, "--backlog", 0, 4096) };
        var synRetries = new Option<uint?>("--syn-retries") { Description = "net.ipv4.tcp_syn_retries in the client namespace", CustomParser = r => TraceFilterOptions.ParseNumber(r, "--syn-retries", 1, 10) };
        var abort = new Option<bool>("--abort-on-overflow") { Description = "net.ipv4.tcp_abort_on_overflow=1 in the server namespace" };
        var cookies = new Option<uint?>("--syncookies") { Description = "net.ipv4.tcp_syncookies (0, 1 or 2) in the server namespace", CustomParser = r => TraceFilterOptions.ParseNumber(r, "--syncookies", 0, 2) };

        var c = new Command(
            "lab",
            "Reproduces a TCP failure from the field for real: builds network namespaces joined by a veth pair "
            + "(198.18.0.1 client, 198.18.0.2 server), runs the scenario, prints what happened (outcomes, counters, sockets) "
            + "and removes everything, also on error and Ctrl-C. Needs root.")
        {
            scenario, list, json, variant, timeout, clients, backlog, synRetries, abort, cookies,
        };
        c.Validators.Add(r =>
        {
            string? v = r.GetValue(variant);
            ILabScenario? s = r.GetValue(scenario) is string n ? LabScenarios.Find(n) : null;
            if (!r.GetValue(list) && r.GetValue(scenario) is null)
            {
                r.AddError("lab: name a scenario, or give --list");
            }
            else if (r.GetValue(scenario) is string name && s is null)
            {
                r.AddError($"scenario: '{name}' is not a lab scenario (tcpscope lab --list shows them: {string.Join(", ", LabScenarios.All.Select(x => x.Name))})");
            }
            else if (s is not null && v is not null && !s.Variants.Contains(v))
            {
                r.AddError($"--variant: '{v}' is not a variant of {s.Name} (it has: {string.Join(", ", s.Variants)})");
            }
        });
        c.SetAction(r =>
        {
            if (r.GetValue(list))
            {
                return LabVerb.List(console);
            }

            var options = new LabOptions
            {
                Variant = r.GetValue(variant) ?? "",
                Timeout = r.GetValue(timeout) is double t ? TimeSpan.FromSeconds(t) : null,
                Clients = (int?)r.GetValue(clients),
                Backlog = (int?)r.GetValue(backlog),
                SynRetries = (int?)r.GetValue(synRetries),
                AbortOnOverflow = r.GetValue(abort),
                Syncookies = (int?)r.GetValue(cookies),
            };
            return LabVerb.Run(LabScenarios.Find(r.GetValue(scenario)!)!, options, r.GetValue(json), console, CancellationToken.None);
        });
        return c;
    }
}
