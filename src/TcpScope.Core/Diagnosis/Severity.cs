namespace TcpScope.Diagnosis;

public enum Severity
{
    Info,
    Warning,
    Error,
}
