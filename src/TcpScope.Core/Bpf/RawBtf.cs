using System.Buffers.Binary;
using System.Text;

namespace TcpScope.Bpf;

/// <summary>
/// A single pass over raw BTF bytes (the format of /sys/kernel/btf/vmlinux) that finds one
/// enum by a member's name. libbpf's btf__load_vmlinux_btf builds a full index first
/// (about 12 ms here, and libbpf parses it again for CO-RE during load); decoding needs only
/// the TCP state names, so this scan keeps start-up short. <see cref="BtfTypes"/> stays the
/// general reader; a test checks that both agree.
/// </summary>
public static class RawBtf
{
    private const ushort Magic = 0xeb9f;

    /// <summary>The members (value -> name) of the first enum that has <paramref name="memberName"/>, or null.</summary>
    public static Dictionary<long, string>? EnumContaining(ReadOnlySpan<byte> btf, string memberName) =>
        EnumsContaining(btf, memberName)[0];

    /// <summary>For each member name, the first enum that has it (null where none has), in one pass.</summary>
    public static Dictionary<long, string>?[] EnumsContaining(ReadOnlySpan<byte> btf, params string[] memberNames)
    {
        if (btf.Length < 24 || BinaryPrimitives.ReadUInt16LittleEndian(btf) != Magic)
        {
            throw new InvalidDataException("not BTF (bad magic; big-endian BTF is not supported)");
        }

        uint hdrLen = BinaryPrimitives.ReadUInt32LittleEndian(btf[4..]);
        uint typeOff = BinaryPrimitives.ReadUInt32LittleEndian(btf[8..]);
        uint typeLen = BinaryPrimitives.ReadUInt32LittleEndian(btf[12..]);
        uint strOff = BinaryPrimitives.ReadUInt32LittleEndian(btf[16..]);
        uint strLen = BinaryPrimitives.ReadUInt32LittleEndian(btf[20..]);
        ReadOnlySpan<byte> types = btf.Slice((int)(hdrLen + typeOff), (int)typeLen);
        ReadOnlySpan<byte> strings = btf.Slice((int)(hdrLen + strOff), (int)strLen);
        byte[][] wanted = [.. memberNames.Select(Encoding.UTF8.GetBytes)];
        var found = new Dictionary<long, string>?[memberNames.Length];
        int missing = memberNames.Length;

        int pos = 0;
        while (pos + 12 <= types.Length && missing > 0)
        {
            uint info = BinaryPrimitives.ReadUInt32LittleEndian(types[(pos + 4)..]);
            int vlen = (int)(info & 0xffff);
            int kind = (int)((info >> 24) & 0x1f);
            int body = pos + 12;
            int stride = kind switch { 6 => 8, 19 => 12, _ => 0 };
            for (int i = 0; i < vlen && stride != 0; i++)
            {
                ReadOnlySpan<byte> name = NameAt(strings, BinaryPrimitives.ReadUInt32LittleEndian(types[(body + (i * stride))..]));
                for (int w = 0; w < wanted.Length; w++)
                {
                    if (found[w] is null && name.SequenceEqual(wanted[w]))
                    {
                        found[w] = Members(types[body..], strings, vlen, kind == 19);
                        missing--;
                    }
                }
            }

            pos = body + ExtraBytes(kind, vlen);
        }

        return found;
    }

    /// <summary>Bytes that follow the 12-byte header of a type of this kind (uapi/linux/btf.h).</summary>
    private static int ExtraBytes(int kind, int vlen) => kind switch
    {
        1 => 4,                 // INT: encoding word
        3 => 12,                // ARRAY: struct btf_array
        4 or 5 => 12 * vlen,    // STRUCT, UNION: btf_member
        6 => 8 * vlen,          // ENUM: btf_enum
        13 => 8 * vlen,         // FUNC_PROTO: btf_param
        14 => 4,                // VAR: linkage
        15 => 12 * vlen,        // DATASEC: btf_var_secinfo
        17 => 4,                // DECL_TAG: component_idx
        19 => 12 * vlen,        // ENUM64: btf_enum64
        2 or 7 or 8 or 9 or 10 or 11 or 12 or 16 or 18 => 0,
        _ => throw new InvalidDataException($"unknown BTF kind {kind}"),
    };

    private static Dictionary<long, string> Members(ReadOnlySpan<byte> body, ReadOnlySpan<byte> strings, int vlen, bool wide)
    {
        var members = new Dictionary<long, string>(vlen);
        for (int i = 0; i < vlen; i++)
        {
            ReadOnlySpan<byte> e = body[(i * (wide ? 12 : 8))..];
            long value = wide
                ? (long)(((ulong)BinaryPrimitives.ReadUInt32LittleEndian(e[8..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(e[4..]))
                : BinaryPrimitives.ReadInt32LittleEndian(e[4..]);
            members.TryAdd(value, Encoding.UTF8.GetString(NameAt(strings, BinaryPrimitives.ReadUInt32LittleEndian(e))));
        }

        return members;
    }

    private static ReadOnlySpan<byte> NameAt(ReadOnlySpan<byte> strings, uint offset)
    {
        ReadOnlySpan<byte> s = strings[(int)offset..];
        int end = s.IndexOf((byte)0);
        return end < 0 ? s : s[..end];
    }
}
