using System.Text.Json;
using System.Text.Json.Serialization;

namespace TcpScope.Records.Json;

/// <summary>An enum by its member's name in snake_case, also as a dictionary key; generic, so NativeAOT needs no reflection.</summary>
public sealed class SnakeCaseEnumConverter<T>() : JsonStringEnumConverter<T>(SnakeCase.Policy, allowIntegerValues: false)
    where T : struct, Enum;
