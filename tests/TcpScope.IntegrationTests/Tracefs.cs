namespace TcpScope.IntegrationTests;

/// <summary>Classic tracepoints are looked up in tracefs; mount it when the machine has not.</summary>
internal static class Tracefs
{
    public static void EnsureMounted() => Host.Tracefs.EnsureMounted();
}
