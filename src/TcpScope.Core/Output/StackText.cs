using TcpScope.Correlation;
using TcpScope.Host.Symbols;

namespace TcpScope.Output;

/// <summary>A connect attempt's stacks as text for the renderers.</summary>
public static class StackText
{
    public static AttemptStacks Describe(Connection c, StackSymbolizer symbols)
    {
        IReadOnlyList<string>? kernel = c.KernelStack is { } k ? symbols.Kernel(k) : null;
        IReadOnlyList<string>? user = null;
        string? note = null;
        if (c.UserStack is not { } u)
        {
            note = c.ConnectReturn is not null
                ? "lost (its record did not fit in the ring buffer)"
                : "not taken (connect() did not return while the trace was running, or the socket was gone when it did)";
        }
        else if ((user = symbols.User(c.UserStackPid, u)) is null)
        {
            note = $"process {c.UserStackPid} exited before its symbols could be read";
        }

        return new AttemptStacks(kernel, user, note);
    }
}
