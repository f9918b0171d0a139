using System.Globalization;

namespace TcpScope.Lab;

/// <summary>How lab reports word outcomes and times: plain words, and one format for every attempt's duration.</summary>
public static class LabText
{
    /// <summary>"connected", "timed out (the kernel gave up)": what the application saw, in words.</summary>
    public static string Outcome(OutcomeKind kind) => kind switch
    {
        OutcomeKind.Connected => "connected",
        OutcomeKind.Refused => "refused",
        OutcomeKind.TimedOut => "timed out (the application gave up)",
        OutcomeKind.KernelTimedOut => "timed out (the kernel gave up)",
        OutcomeKind.Reset => "reset",
        OutcomeKind.Unreachable => "unreachable",
        _ => "failed",
    };

    /// <summary>A connect attempt's duration: milliseconds below a second ("0.31 ms", "12.5 ms"), else seconds ("5.01 s").</summary>
    public static string Duration(TimeSpan t)
    {
        double ms = t.TotalMilliseconds;
        return ms switch
        {
            < 10 => string.Create(CultureInfo.InvariantCulture, $"{ms:0.00} ms"),
            < 1000 => string.Create(CultureInfo.InvariantCulture, $"{ms:0.0} ms"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.00} s"),
        };
    }
}
