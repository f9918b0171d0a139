namespace TcpScope.Output;

/// <summary>What one <c>skb_drop_reason</c> means for a TCP user, and what to do about it.</summary>
/// <param name="Reason">The name without its SKB_DROP_REASON_ prefix, as the kernel's BTF has it.</param>
/// <param name="Meaning">Why the kernel threw the segment away, in plain words.</param>
/// <param name="Remedy">What to look at or change; null when nothing is to be done (a normal drop).</param>
public sealed record DropReasonEntry(string Reason, string Meaning, string? Remedy);
