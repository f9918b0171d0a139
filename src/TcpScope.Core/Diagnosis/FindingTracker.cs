namespace TcpScope.Diagnosis;

/// <summary>
/// Tells which findings are news since the last look: a finding is new the first time its
/// key is seen, and again when its evidence grows (another socket, another drop).
/// </summary>
public sealed class FindingTracker
{
    private readonly Dictionary<string, int> shown = [];

    public IReadOnlyList<Finding> News(IEnumerable<Finding> findings)
    {
        var news = new List<Finding>();
        foreach (Finding f in findings)
        {
            if (!shown.TryGetValue(f.Key, out int evidence) || f.Evidence.Count > evidence)
            {
                shown[f.Key] = f.Evidence.Count;
                news.Add(f);
            }
        }

        return news;
    }
}
