namespace TcpScope.Cli;

/// <summary>
/// One line on a terminal's stderr that says what a long step is doing, rewritten in place
/// (carriage return, erase to end of line) and erased at the end, so nothing of it stays on
/// screen or goes into a pipe or a log: off the terminal it writes nothing.
/// </summary>
public sealed class StatusLine(TextWriter terminal, bool enabled) : IDisposable
{
    private const string Erase = "\r\u001b[K";

    // a line that wraps cannot be erased with a carriage return: stay within the narrowest usual terminal
    private const int MaxWidth = 79;
    private readonly Lock gate = new();
    private bool shown;

    public void Show(string what)
    {
        if (!enabled)
        {
            return;
        }

        lock (gate)
        {
            string line = $"tcpscope: {what} ...";
            terminal.Write(Erase + (line.Length > MaxWidth ? line[..(MaxWidth - 3)] + "..." : line));
            terminal.Flush();
            shown = true;
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            if (shown)
            {
                terminal.Write(Erase);
                terminal.Flush();
                shown = false;
            }
        }
    }

    public void Dispose() => Clear();
}
