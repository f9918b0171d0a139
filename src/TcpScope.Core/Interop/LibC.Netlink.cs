using System.Runtime.InteropServices;

#pragma warning disable CS8981 // C struct names are kept verbatim in the interop layer

namespace TcpScope.Interop;

/// <summary>
/// Netlink sock_diag (linux/netlink.h, linux/sock_diag.h, linux/inet_diag.h): the structs with
/// the kernel's field names and sizes, and the socket calls that carry them.
/// </summary>
internal static unsafe partial class LibC
{
    public const int AF_INET = 2;
    public const int AF_INET6 = 10;
    public const int AF_NETLINK = 16;
    public const int SOCK_RAW = 3;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int NETLINK_SOCK_DIAG = 4;
    public const int IPPROTO_TCP = 6;

    public const ushort NLM_F_REQUEST = 0x01;
    public const ushort NLM_F_MULTI = 0x02;
    public const ushort NLM_F_DUMP_INTR = 0x10;
    public const ushort NLM_F_ROOT = 0x100;
    public const ushort NLM_F_MATCH = 0x200;
    public const ushort NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;

    public const ushort NLMSG_NOOP = 1;
    public const ushort NLMSG_ERROR = 2;
    public const ushort NLMSG_DONE = 3;
    public const int NLMSG_ALIGNTO = 4;

    public const ushort SOCK_DIAG_BY_FAMILY = 20;

    public const int ENOBUFS = 105;
    public const int MSG_TRUNC = 0x20;

    [StructLayout(LayoutKind.Sequential)]
    public struct nlmsghdr
    {
        public uint nlmsg_len;
        public ushort nlmsg_type;
        public ushort nlmsg_flags;
        public uint nlmsg_seq;
        public uint nlmsg_pid;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct nlmsgerr
    {
        public int error;
        public nlmsghdr msg;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct sockaddr_nl
    {
        public ushort nl_family;
        public ushort nl_pad;
        public uint nl_pid;
        public uint nl_groups;
    }

    /// <summary>Ports and addresses in network byte order; an IPv4 address fills idiag_src[0] only.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct inet_diag_sockid
    {
        public ushort idiag_sport;
        public ushort idiag_dport;
        public fixed byte idiag_src[16];
        public fixed byte idiag_dst[16];
        public uint idiag_if;
        public fixed uint idiag_cookie[2];
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct inet_diag_req_v2
    {
        public byte sdiag_family;
        public byte sdiag_protocol;
        public byte idiag_ext;
        public byte pad;
        public uint idiag_states;
        public inet_diag_sockid id;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct inet_diag_msg
    {
        public byte idiag_family;
        public byte idiag_state;
        public byte idiag_timer;
        public byte idiag_retrans;
        public inet_diag_sockid id;
        public uint idiag_expires;
        public uint idiag_rqueue;
        public uint idiag_wqueue;
        public uint idiag_uid;
        public uint idiag_inode;
    }

    public static int NLMSG_ALIGN(int len) => (len + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint sendto(int sockfd, byte* buf, nuint len, int flags, sockaddr_nl* dest_addr, int addrlen);

    [LibraryImport(Library, SetLastError = true)]
    public static partial nint recv(int sockfd, byte* buf, nuint len, int flags);

    [LibraryImport(Library, SetLastError = true)]
    public static partial int close(int fd);
}
