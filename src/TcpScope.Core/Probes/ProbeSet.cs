using TcpScope.Bpf;
using TcpScope.Host;
using TcpScope.Interop;
using TcpScope.Sources;

namespace TcpScope.Probes;

/// <summary>
/// The BPF families a verb asks for, loaded as one set: the first object loaded creates the
/// shared maps (events ring, counters, sockets, listeners; bpf/maps.bpf.h) and the others reuse
/// them, so every family's events come through one ring in one time order and every family sees
/// one owner per socket.
/// <para>
/// Every program is optional: each one that is tried gets one verdict (the same that
/// <c>doctor</c> prints, from <see cref="Test"/>), and one that does not load or attach is left
/// out with a stated reason (<see cref="Degraded"/>). Only the core family is required: the set
/// fails, with the error as it came, when none of its programs attaches or when no program of
/// the set handles a hook the core needs (<see cref="ProbeFamily.StateHook"/>).
/// </para>
/// <para>
/// One program per set handles the state hook, because it keeps the shared bookkeeping: the
/// family of lowest rank that offers it (conn's conn_state, a superset of states'), and if that
/// program cannot load or attach, the next alternative (states_btf, then states_tp).
/// A permission error of the core is thrown as it came (the verb says which capability is
/// missing); the first such error is preferred over what alternatives tried after it said.
/// </para>
/// </summary>
internal sealed class ProbeSet : IDisposable
{
    private static readonly string[] SharedMaps = ["events", "counters", "sockets", "listeners"];

    private readonly List<LoadedFamily> loaded = [];
    private readonly List<ProbeAttempt> attempts = [];
    private readonly Dictionary<string, (ProbeAttempt Attempt, string Section)> hooks = [];
    private readonly ProbeSettings settings;

    private ProbeSet(ProbeSettings settings) => this.settings = settings;

    /// <summary>Every program tried, in the order tried, with its verdict.</summary>
    public IReadOnlyList<ProbeResult> Verdicts => [.. attempts.Select(a => a.Verdict)];

    /// <summary>What the verb does without, one line each: which program, why, and what is lost or what stands in for it.</summary>
    public IReadOnlyList<string> Degraded { get; private set; } = [];

    /// <summary>The attached programs (function names).</summary>
    public IReadOnlyList<string> Attached => [.. AttachedInOrder().Select(l => l.Program.Name)];

    public IReadOnlyList<BpfLink> Links => [.. loaded.SelectMany(l => l.Links).Select(l => l.Link)];

    /// <summary>Any loaded object: the shared maps (events, counters) are reached through it.</summary>
    public BpfObject Maps => SharedMapsDonor ?? throw new InvalidOperationException("no family of this set has the shared maps");

    /// <summary>The attached hooks, for the user: "tp_btf/inet_sock_set_state, tcp_retransmit_skb".</summary>
    public string Description
    {
        get
        {
            var parts = new List<string>();
            string? previous = null;
            foreach ((_, string section) in AttachedInOrder())
            {
                int slash = section.IndexOf('/');
                string kind = slash < 0 ? section : section[..slash];
                parts.Add(kind == previous ? section[(slash + 1)..] : section);
                previous = kind;
            }

            return string.Join(", ", parts);
        }
    }

    /// <param name="countDrops">The drops family counts drops in its drop_counts map and sends no record of them.</param>
    public static ProbeSet Open(ProbeFamily core, IReadOnlyList<ProbeFamily> also, StatesFilter filter, TraceOptions options, bool stacks, bool countDrops = false)
    {
        List<ProbeFamily> families = [core, .. also.Where(f => f.Name != core.Name).DistinctBy(f => f.Name)];
        // conn's tcp_destroy_sock program ends the records whose CLOSE was lost: the entry must stay until then
        bool keepLostCloses = families.Any(f => f.Programs.Any(p => p.Name == "conn_destroy"));
        var set = new ProbeSet(new ProbeSettings(filter, options, stacks, keepLostCloses, countDrops));
        try
        {
            foreach (ProbeFamily f in families.OrderBy(f => f.Rank))
            {
                set.Add(f);
            }

            set.RequireCore(core);
            set.Degraded = set.DescribeDegradations();
            return set;
        }
        catch
        {
            set.Dispose();
            throw;
        }
    }

    /// <summary>Loads and attaches one program of a family on its own (no filter, small maps, nothing shared): doctor's verdict.</summary>
    public static ProbeResult Test(ProbeFamily family, string program) => TestAlone(family, family.Program(program)).Verdict;

    public void Dispose()
    {
        foreach (LoadedFamily l in loaded)
        {
            l.Dispose();
        }

        loaded.Clear();
    }

    /// <summary>The loaded object the shared maps are taken from (an object without them, like probes, does not count).</summary>
    private BpfObject? SharedMapsDonor => loaded.FirstOrDefault(l => l.Object.HasMap(SharedMaps[0]))?.Object;

    private IEnumerable<(ProbeProgram Program, string Section)> AttachedInOrder() =>
        loaded.OrderBy(l => l.Family.Rank)
            .SelectMany(l => l.Family.Programs.Select(p => l.Links.FirstOrDefault(x => x.Program.Name == p.Name)).Where(x => x.Link is not null))
            .Select(x => (x.Program, x.Section));

    private void Add(ProbeFamily family)
    {
        // a hook already handled by a family of lower rank is not this family's to handle
        List<ProbeProgram> candidates = [.. family.Programs.Where(p => p.Hook is null || !hooks.ContainsKey(p.Hook))];
        List<ProbeProgram> chosen = FirstPerHook(candidates);
        while (chosen.Count > 0)
        {
            (LoadedFamily? result, List<ProbeAttempt> failed) = LoadAndAttach(family, chosen);
            attempts.AddRange(failed);
            candidates.RemoveAll(p => failed.Any(f => f.Program == p));
            List<ProbeProgram> next = FirstPerHook(candidates);
            bool alternative = next.Any(p => !chosen.Contains(p));
            if (result is not null && !alternative)
            {
                Keep(result);
                return;
            }

            // an alternative takes a failed program's hook: it has to be loaded, so the object is loaded again
            result?.Dispose();
            chosen = next;
        }
    }

    private void Keep(LoadedFamily result)
    {
        loaded.Add(result);
        foreach ((ProbeProgram p, string section, _) in result.Links)
        {
            var works = new ProbeAttempt(result.Family, p, ProbeVerdicts.Works(result.Family, p.Name, section), null);
            attempts.Add(works);
            if (p.Hook is { } hook)
            {
                hooks[hook] = (works, section);
            }
        }
    }

    private static List<ProbeProgram> FirstPerHook(List<ProbeProgram> candidates) =>
        [.. candidates.Where(p => p.Hook is null || candidates.First(q => q.Hook == p.Hook) == p)];

    private (LoadedFamily? Result, List<ProbeAttempt> Failed) LoadAndAttach(ProbeFamily family, List<ProbeProgram> chosen)
    {
        BpfObject obj = BpfObject.OpenEmbedded(family.ObjectName);
        Dictionary<string, string> sections = obj.Programs.ToDictionary(p => p.Name, p => p.Section);
        try
        {
            Prepare(obj, chosen, settings, SharedMapsDonor);
            obj.Load();
        }
        catch (LibbpfException e)
        {
            // a permission error too: fentry is refused with EPERM where trampolines are not allowed,
            // and for the core family RequireCore throws it as it came
            obj.Dispose();
            if (chosen.Count == 1)
            {
                return (null, [Failure(family, chosen[0], sections[chosen[0].Name], e)]);
            }

            // libbpf says which program failed only in its log: each is tried on its own, as doctor does
            List<ProbeAttempt> culprits = [.. chosen.Select(p => TestAlone(family, p)).Where(a => !a.Verdict.Works)];
            return (null, culprits.Count > 0 ? culprits : [.. chosen.Select(p => Failure(family, p, sections[p.Name], e))]);
        }
        catch
        {
            obj.Dispose();
            throw;
        }

        var links = new List<(ProbeProgram, string, BpfLink)>();
        var failed = new List<ProbeAttempt>();
        foreach (ProbeProgram p in chosen.AsEnumerable().Reverse())
        {
            try
            {
                links.Add((p, sections[p.Name], obj.Attach(p.Name)));
            }
            catch (LibbpfException e)
            {
                failed.Add(Failure(family, p, sections[p.Name], e));
            }
        }

        if (links.Count == 0)
        {
            obj.Dispose();
            return (null, failed);
        }

        return (new LoadedFamily(family, obj, links), failed);
    }

    private static ProbeAttempt TestAlone(ProbeFamily family, ProbeProgram program)
    {
        using BpfObject obj = BpfObject.OpenEmbedded(family.ObjectName);
        string section = obj.Programs.First(p => p.Name == program.Name).Section;
        try
        {
            Prepare(obj, [program], ProbeSettings.Testing, donor: null);
            obj.Load();
            using BpfLink link = obj.Attach(program.Name);
            return new ProbeAttempt(family, program, ProbeVerdicts.Works(family, program.Name, section), null);
        }
        catch (LibbpfException e)
        {
            return Failure(family, program, section, e);
        }
    }

    private static ProbeAttempt Failure(ProbeFamily family, ProbeProgram program, string section, LibbpfException e) =>
        new(family, program, ProbeVerdicts.Of(family, program.Name, section, e), e);

    /// <summary>Before load: the programs to load, their attach targets, sizes, constants, and the maps shared with <paramref name="donor"/>.</summary>
    private static void Prepare(BpfObject obj, IReadOnlyList<ProbeProgram> chosen, ProbeSettings s, BpfObject? donor)
    {
        obj.SelectPrograms([.. chosen.Select(p => p.Name)]);
        foreach (ProbeProgram p in chosen.Where(p => p.AttachTarget is not null))
        {
            // libbpf 1.1 looks the target up in the kernel's BTF here already, not at load
            obj.SetAttachTarget(p.Name, p.AttachTarget!);
        }

        // the families that follow sockets (they have the shared maps) take the filters and the sizes
        if (obj.HasMap("events"))
        {
            obj.ResizeMap("events", s.Options.RingBytes);
            obj.ResizeMap("sockets", s.Options.MaxSockets);
            obj.SetConstant("timer_drain", true);
            obj.SetConstant("keep_lost_closes", s.KeepLostCloses);
            FilterConstants.Apply(obj, s.Filter);
        }

        if (obj.HasMap("failed_attempts"))
        {
            obj.ResizeMap("failed_attempts", s.Options.MaxFailedAttempts);
            obj.SetConstant("want_stacks", s.Stacks);
        }

        if (obj.Name == EmbeddedObjects.Drops)
        {
            obj.SetConstant("want_stacks", s.Stacks);
            obj.SetConstant("count_only", s.CountDrops);
        }

        if (donor is not null)
        {
            foreach (string map in SharedMaps.Where(obj.HasMap))
            {
                obj.ReuseMap(map, donor.MapFd(map));
            }
        }
    }

    private void RequireCore(ProbeFamily core)
    {
        List<ProbeAttempt> coreFailures = [.. attempts.Where(a => a.Family.Name == core.Name && a.Error is not null)];
        foreach (string hook in core.Programs.Select(p => p.Hook).OfType<string>().Distinct())
        {
            if (!hooks.ContainsKey(hook))
            {
                throw Reported([.. attempts.Where(a => a.Program.Hook == hook && a.Error is not null)])
                    ?? throw new InvalidOperationException($"no program of {core.Name} for {hook} was tried");
            }
        }

        if (!loaded.Any(l => l.Family.Name == core.Name) && Reported(coreFailures) is { } error)
        {
            throw error;
        }
    }

    /// <summary>The error a failed core is reported with: a missing privilege first (it explains the rest), else the last.</summary>
    private static LibbpfException? Reported(List<ProbeAttempt> failures) =>
        (failures.FirstOrDefault(a => a.Verdict.Status == ProbeStatus.Failed && a.Error!.IsPermissionDenied) ?? failures.LastOrDefault())?.Error;

    private List<string> DescribeDegradations()
    {
        var lines = new List<string>();
        foreach (ProbeAttempt a in attempts.Where(a => a.Error is not null))
        {
            string what = $"{a.Id} ({a.Verdict.Section}) is not usable here: {a.Verdict.Detail}";
            lines.Add(a.Program.Hook is { } hook && hooks.TryGetValue(hook, out var owner)
                ? $"{what}; {hook} is handled by {owner.Attempt.Id} ({owner.Section}){(owner.Attempt.Family.Name == a.Family.Name ? "" : $", without {a.Program.Gives}")}"
                    + (owner.Attempt.Program.Lacks is { } lacks ? $", which lacks {lacks}" : "")
                : $"{what}; without {a.Program.Gives}");
        }

        return lines;
    }
}
