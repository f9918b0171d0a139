using System.Buffers.Binary;
using TcpScope.Bpf;
using TcpScope.Decode;
using TcpScope.Decode.Abi;
using TcpScope.Sources;

namespace TcpScope.Recording;

/// <summary>
/// A recording as a source: its ring records through the same decoder as live, with the
/// recording's own enum names, and at each batch end the idle moment with the time the live
/// session saw then. The description, clock and losses are the recording's, so what is built
/// on it prints what the live run printed. No BPF, no privileges.
/// </summary>
public sealed class ReplaySource : IEventSource
{
    private readonly RecordingReader reader;
    private EventKind[]? only;

    private ReplaySource(RecordingReader reader) => this.reader = reader;

    public RecordingHeader Header => reader.Header;

    /// <summary>The recording host's enum names for its numbers.</summary>
    public KernelEnums Enums => reader.Enums;

    /// <summary>The recording host's offset, taken once when it was made.</summary>
    public long WallOffsetNs => reader.Header.WallOffsetNs;

    /// <summary>The live source's description, as the recording has it.</summary>
    public string Description => reader.Header.Source;

    public bool Live => false;

    public string Path => reader.Path;

    /// <summary>Records of other kinds than <see cref="Only"/> asked for, not delivered.</summary>
    public long Skipped { get; private set; }

    /// <summary>
    /// Delivers only records of these kinds (states replays the state records of a recording made
    /// by the connection probes, and counts as events only what it shows); the rest are counted in
    /// <see cref="Skipped"/>.
    /// </summary>
    public ReplaySource Only(params EventKind[] kinds)
    {
        only = kinds;
        return this;
    }

    /// <exception cref="RecordingException">The file is no recording this TcpScope reads.</exception>
    public static ReplaySource Open(string path) => new(RecordingReader.Open(path));

    public static ReplaySource Open(Stream input, string name) => new(RecordingReader.Open(input, name));

    /// <exception cref="RecordingException">Truncated or corrupted further in (after delivering what came before).</exception>
    public SourceStats Run(IEventSink sink, CancellationToken cancellation)
    {
        var decoder = new RecordDecoder(sink, reader.Enums);
        var tap = new Tap(only is null ? decoder : new KindFilter(decoder, only, this), sink, reader.Header.StartNs);
        RecordingTrailer? trailer = reader.Replay(tap, cancellation);

        // cancelled before the trailer: what was replayed, on the recording's clock so far
        SourceStats recorded = trailer?.Stats ?? new SourceStats(0, 0, 0, StartNs: reader.Header.StartNs, EndNs: tap.LastNowNs);
        return recorded with { Events = decoder.Events, Malformed = decoder.Malformed };
    }

    public void Dispose() => reader.Dispose();

    private sealed class KindFilter(IRecordHandler next, EventKind[] kinds, ReplaySource owner) : IRecordHandler
    {
        public void OnRecord(ReadOnlySpan<byte> record)
        {
            // the kind is the header's first field; a record too short for it is the decoder's to call malformed
            if (record.Length < sizeof(ushort) || Array.IndexOf(kinds, (EventKind)BinaryPrimitives.ReadUInt16LittleEndian(record)) >= 0)
            {
                next.OnRecord(record);
            }
            else
            {
                owner.Skipped++;
            }
        }
    }

    private sealed class Tap(IRecordHandler records, IEventSink sink, long startNs) : IRingTap
    {
        public long LastNowNs { get; private set; } = startNs;

        public void OnRecord(ReadOnlySpan<byte> record) => records.OnRecord(record);

        public void OnBatchEnd(long monotonicNowNs)
        {
            LastNowNs = monotonicNowNs;
            sink.OnIdle(monotonicNowNs);
        }
    }
}
