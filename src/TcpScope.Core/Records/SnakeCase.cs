using System.Collections.Concurrent;
using System.Text.Json;

namespace TcpScope.Records;

/// <summary>
/// Enum members as the lower-case snake_case names JSON uses ("ResetAfterBadAck" ->
/// "reset_after_bad_ack"): the policy of <see cref="SnakeCaseEnumConverter{T}"/>, for text that must say the same.
/// </summary>
public static class SnakeCase
{
    public static readonly JsonNamingPolicy Policy = JsonNamingPolicy.SnakeCaseLower;

    public static string Of<T>(T value)
        where T : struct, Enum => Names<T>.Cache.GetOrAdd(value, static v => Policy.ConvertName(v.ToString()));

    private static class Names<T>
        where T : struct, Enum
    {
        public static readonly ConcurrentDictionary<T, string> Cache = new();
    }
}
