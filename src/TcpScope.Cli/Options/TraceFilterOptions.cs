using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using TcpScope.Host;
using TcpScope.Sources;

namespace TcpScope.Cli;

/// <summary>The filter options every tracing verb shares, and their parsers.</summary>
public sealed class TraceFilterOptions
{
    public Option<ushort[]> LocalPorts { get; } = Ports("--local-port", "-L", "local");

    public Option<ushort[]> RemotePorts { get; } = Ports("--remote-port", "-D", "remote");

    public Option<bool> IPv4 { get; } = new("--ipv4", "-4") { Description = "Only IPv4 sockets" };

    public Option<bool> IPv6 { get; } = new("--ipv6", "-6") { Description = "Only IPv6 sockets" };

    public Option<uint> Pid { get; } = new("--pid", "-p")
    {
        Description = "Only sockets owned by this process (the owner is learned from connect/listen/close; accepted sockets belong to their listener's owner until accept(), seen by life and connect, names the real one)",
        CustomParser = r => ParseNumber(r, "--pid", 1, int.MaxValue),
    };

    public Option<string?> Comm { get; } = new("--comm", "-c")
    {
        Description = "Only sockets whose owner has this command name (as in /proc/PID/comm, at most 15 bytes); applied in the kernel",
        HelpName = "name",
        CustomParser = r =>
        {
            string v = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
            int bytes = System.Text.Encoding.UTF8.GetByteCount(v);
            if (bytes is 0 or > 15)
            {
                r.AddError($"--comm: '{v}' is not a command name (1-15 bytes, as the kernel keeps them)");
            }

            return v;
        },
    };

    public Option<uint> NetNs { get; } = new("--netns")
    {
        Description = "Only this network namespace: its inode number (as in /proc/PID/ns/net), a name under /run/netns, or a path",
        HelpName = "inode|name|path",
        CustomParser = ParseNetNs,
    };

    public void AddTo(Command c)
    {
        c.Options.Add(LocalPorts);
        c.Options.Add(RemotePorts);
        c.Options.Add(IPv4);
        c.Options.Add(IPv6);
        c.Options.Add(Pid);
        c.Options.Add(Comm);
        c.Options.Add(NetNs);
        c.Validators.Add(r =>
        {
            if (r.GetValue(IPv4) && r.GetValue(IPv6))
            {
                r.AddError("-4/--ipv4 and -6/--ipv6 exclude each other (give neither for both families)");
            }
        });
    }

    public StatesFilter Bind(ParseResult r) => new()
    {
        Family = r.GetValue(IPv4) ? Decode.AddressFamilyKind.IPv4 : r.GetValue(IPv6) ? Decode.AddressFamilyKind.IPv6 : Decode.AddressFamilyKind.Unspecified,
        LocalPorts = r.GetValue(LocalPorts) ?? [],
        RemotePorts = r.GetValue(RemotePorts) ?? [],
        Pid = r.GetValue(Pid),
        Comm = r.GetValue(Comm),
        NetNs = r.GetValue(NetNs),
    };

    private static Option<ushort[]> Ports(string name, string alias, string side) => new(name, alias)
    {
        Description = $"Only sockets with this {side} port; repeat the option or separate with commas (at most {StatesFilter.MaxPorts}); applied in the kernel",
        HelpName = "port[,port...]",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
        CustomParser = r => ParsePorts(r, name),
    };

    internal static ushort[] ParsePorts(ArgumentResult r, string name)
    {
        var ports = new List<ushort>();
        foreach (Token t in r.Tokens)
        {
            foreach (string part in t.Value.Split(',', StringSplitOptions.TrimEntries))
            {
                if (!ushort.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out ushort p) || p == 0)
                {
                    r.AddError($"{name}: '{part}' is not a port number (1-65535)");
                    return [];
                }

                if (!ports.Contains(p))
                {
                    ports.Add(p);
                }
            }
        }

        if (ports.Count > StatesFilter.MaxPorts)
        {
            r.AddError($"{name}: {ports.Count} ports given, at most {StatesFilter.MaxPorts} are supported");
        }

        return [.. ports];
    }

    internal static uint ParseNumber(ArgumentResult r, string name, uint min, uint max)
    {
        string v = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
        if (!uint.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out uint n) || n < min || n > max)
        {
            r.AddError($"{name}: '{v}' is not a number from {min} to {max}");
            return 0;
        }

        return n;
    }

    private static uint ParseNetNs(ArgumentResult r)
    {
        string v = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
        uint? inode = NetworkNamespaces.Resolve(v, out string why);
        if (inode is null)
        {
            r.AddError($"--netns: '{v}' is not a network namespace: {why} (give its inode number, a name under {NetworkNamespaces.NamedDirectory} "
                + "as `ip netns list` shows, or a path such as /proc/PID/ns/net)");
            return 0;
        }

        return inode.Value;
    }
}
