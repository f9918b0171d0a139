using TcpScope.Decode;
using TcpScope.Output;
using TcpScope.Records;

namespace TcpScope.Bench;

/// <summary>
/// `states --json` per event, A/B: the state line written field by field (<see cref="StateJsonLine"/>)
/// against <see cref="StateRecord"/> through the source-generated serialiser.
///   dotnet run -c Release --project bench/TcpScope.Bench -- json [events_per_round]
/// </summary>
internal static class JsonBench
{
    public static int Run(int n, Action<string, int, IEventSink> measure)
    {
        // alternate so that neither side always runs on a warmer machine
        for (int pass = 0; pass < 2; pass++)
        {
            using (var fields = new FieldsSink())
            {
                measure("JSON, field by field", n, fields);
            }

            using (var records = new RecordSink())
            {
                measure("JSON, record + srcgen", n, records);
            }
        }

        return 0;
    }

    private sealed class FieldsSink : IEventSink, IDisposable
    {
        private readonly JsonLines lines = new(Stream.Null, new WallClock(1_763_900_000_000_000_000));

        public void OnStateChange(in StateChange e)
        {
            StateJsonLine.Write(lines.Json, e, lines.Clock);
            lines.EndLine();
        }

        public void OnIdle(long monotonicNowNs) => lines.Flush();

        public void Dispose() => lines.Dispose();
    }

    private sealed class RecordSink : IEventSink, IDisposable
    {
        private readonly JsonLines lines = new(Stream.Null, new WallClock(1_763_900_000_000_000_000));

        public void OnStateChange(in StateChange e) => lines.Write(StateRecord.From(e, lines.Clock), JsonLines.Context.StateRecord);

        public void OnIdle(long monotonicNowNs) => lines.Flush();

        public void Dispose() => lines.Dispose();
    }
}
