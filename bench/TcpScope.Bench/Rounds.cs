using System.Diagnostics;
using System.Globalization;

namespace TcpScope.Bench;

/// <summary>
/// Six rounds of one measurement, the first a warm-up (tiered JIT when not AOT): time and bytes
/// allocated per unit, printed as the median with the range.
/// </summary>
public sealed class Rounds
{
    private readonly List<double> ns = [];
    private readonly List<double> bytes = [];
    private long alloc0;
    private Stopwatch watch = new();

    public const int Count = 6;

    public void Start()
    {
        alloc0 = GC.GetAllocatedBytesForCurrentThread();
        watch = Stopwatch.StartNew();
    }

    /// <summary>Ends round <paramref name="round"/> of <paramref name="n"/> units (a warm-up round is not kept).</summary>
    public void Stop(int round, int n)
    {
        watch.Stop();
        if (round > 0)
        {
            ns.Add(watch.Elapsed.TotalNanoseconds / n);
            bytes.Add((GC.GetAllocatedBytesForCurrentThread() - alloc0) / (double)n);
        }
    }

    /// <summary>"name  123.4 ns/unit  (min, max)  5.0 bytes allocated/unit".</summary>
    public void Print(string name, int nameWidth, string unit)
    {
        ns.Sort();
        bytes.Sort();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name.PadRight(nameWidth)} {ns[ns.Count / 2],8:0.0} ns/{unit}  (min {ns[0]:0.0}, max {ns[^1]:0.0})  {bytes[bytes.Count / 2]:0.0} bytes allocated/{unit}"));
    }
}
