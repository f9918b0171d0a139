namespace TcpScope.Sources;

/// <summary>How a tracepoint is hooked: typed BTF arguments, or the classic trace record.</summary>
public enum AttachMode
{
    TpBtf,
    Tracepoint,
}
