namespace TcpScope.Decode;

/// <summary>
/// Something a run could not follow and counted instead: sockets beyond a table's size,
/// records cut short by lost events. <see cref="Id"/> is the JSON summary's key,
/// <see cref="Text"/> says what was missed and what helps.
/// </summary>
public readonly record struct Shortfall(string Id, long Count, string Text);

/// <summary>A part of the pipeline that counts what it could not follow.</summary>
public interface IShortfalls
{
    IEnumerable<Shortfall> Shortfalls { get; }
}
