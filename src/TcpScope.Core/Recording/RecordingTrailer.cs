using TcpScope.Sources;

namespace TcpScope.Recording;

/// <summary>The end of a recording: what the live source counted (lost included) and when it stopped.</summary>
/// <param name="EndNs">CLOCK_MONOTONIC of the last batch end (the source's last "now").</param>
/// <param name="Records">Raw records written (decoded or not).</param>
/// <param name="Batches">Batch ends written.</param>
public sealed record RecordingTrailer(long EndNs, SourceStats Stats, string Source, long Records, long Batches);
