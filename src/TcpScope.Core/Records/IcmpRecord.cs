namespace TcpScope.Records;

/// <summary>The ICMP error that answered a SYN: who sent it, its type and code in words, the errno the kernel made of it.</summary>
public sealed record IcmpRecord(string From, int Type, int Code, string Text, int Errno);
