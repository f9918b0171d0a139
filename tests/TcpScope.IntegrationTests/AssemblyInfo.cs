// Privileged tests share one kernel: namespaces, iptables, BPF programs and timing-sensitive
// scenarios run one at a time so that none disturbs another's counters or timings.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
