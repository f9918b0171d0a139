using TcpScope.Sources;

namespace TcpScope.Recording;

/// <summary>
/// The end of a recording: what the live source counted (lost included) and its clock at the
/// start and at its last idle (<see cref="SourceStats.StartNs"/>, <see cref="SourceStats.EndNs"/>).
/// </summary>
/// <param name="Records">Raw records written (decoded or not).</param>
/// <param name="Batches">Batch ends written.</param>
public sealed record RecordingTrailer(SourceStats Stats, string Source, long Records, long Batches);
