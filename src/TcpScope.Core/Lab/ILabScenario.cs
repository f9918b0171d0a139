namespace TcpScope.Lab;

/// <summary>A failure from the field, reproduced for real between the lab's namespaces.</summary>
public interface ILabScenario
{
    string Name { get; }

    /// <summary>One paragraph: the production story and what the run shows.</summary>
    string Description { get; }

    /// <summary>Variant names; the first is the default.</summary>
    IReadOnlyList<string> Variants { get; }

    /// <summary>Runs the scenario; everything it learns goes into <paramref name="lab"/>.</summary>
    void Run(LabRun lab);
}
