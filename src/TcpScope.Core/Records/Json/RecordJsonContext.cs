using System.Text.Json.Serialization;
using TcpScope.Correlation;
using TcpScope.Diagnosis;
using TcpScope.Host;
using TcpScope.Lab;
using TcpScope.Output;

namespace TcpScope.Records.Json;

/// <summary>
/// The JSON of every record, generated at build time (no reflection, NativeAOT-clean):
/// snake_case names, enums by name, kernel values (times, addresses, task names) formatted on
/// the stack. A record type that is not listed here cannot be written.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    Converters =
    [
        typeof(SnakeCaseEnumConverter<ConnectOutcome>),
        typeof(SnakeCaseEnumConverter<OwnerSource>),
        typeof(SnakeCaseEnumConverter<LifeEventKind>),
        typeof(SnakeCaseEnumConverter<Severity>),
        typeof(SnakeCaseEnumConverter<ProbeStatus>),
        typeof(SnakeCaseEnumConverter<OutcomeKind>),
        typeof(TcpStateConverter),
        typeof(WallTimeConverter),
        typeof(KernelPointerConverter),
        typeof(IpAddressValueConverter),
        typeof(CommConverter),
    ])]
[JsonSerializable(typeof(StateRecord))]
[JsonSerializable(typeof(LifeRecord))]
[JsonSerializable(typeof(LifeCloseRecord))]
[JsonSerializable(typeof(ConnectRecord))]
[JsonSerializable(typeof(ConnectSummaryRecord))]
[JsonSerializable(typeof(FindingRecord))]
[JsonSerializable(typeof(SummaryRecord))]
[JsonSerializable(typeof(DoctorRecord))]
[JsonSerializable(typeof(LabRecord))]
[JsonSerializable(typeof(DropRecord))]
[JsonSerializable(typeof(ResetRecord))]
[JsonSerializable(typeof(DropCountRecord))]
[JsonSerializable(typeof(long))]
public sealed partial class RecordJsonContext : JsonSerializerContext;
