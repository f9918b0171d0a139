namespace TcpScope.Decode.Abi;

/// <summary>enum ts_stack_where (bpf/tcpscope.h): which stack a stack record holds.</summary>
public enum StackWhere : uint
{
    /// <summary>The kernel stack where a connect attempt left SYN_SENT.</summary>
    KernelAtEnd = 1,

    /// <summary>The user stack of the connect() call.</summary>
    UserAtConnect = 2,

    /// <summary>TS_STACK_KERNEL_AT_DROP: where a segment was dropped (drops --stacks).</summary>
    KernelAtDrop = 3,
}
