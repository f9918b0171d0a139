using TcpScope.Cli;
using TcpScope.Cli.Verbs;
using TcpScope.Decode;

namespace TcpScope.Tests;

/// <summary>`tcpscope drops` options, and --reason against a kernel's names.</summary>
public class DropsCliTests
{
    private static readonly KernelEnums Enums = KernelEnums.FromTables(
        [new KernelEnumTable(KernelEnumTable.DropReasons, [new(3, "SKB_DROP_REASON_NO_SOCKET"), new(12, "SKB_DROP_REASON_NETFILTER_DROP"), new(40, "SKB_DROP_REASON_TCP_LISTEN_OVERFLOW")])],
        "test");

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Reasons_are_taken_repeated_or_comma_separated()
    {
        var command = new DropsCommand(new CliConsole(TextWriter.Null, TextWriter.Null));
        System.CommandLine.ParseResult r = command.Command.Parse(["--reason", "NO_SOCKET,netfilter_drop", "--reason", "SKB_DROP_REASON_TCP_LISTEN_OVERFLOW", "-L", "8080", "--json"]);
        Assert.Empty(r.Errors);

        DropsSettings s = command.Bind(r);

        Assert.Equal(["NO_SOCKET", "netfilter_drop", "SKB_DROP_REASON_TCP_LISTEN_OVERFLOW"], s.Reasons);
        Assert.Equal([(ushort)8080], s.Filter.LocalPorts);
        Assert.True(s.Json);
    }

    [Fact]
    public void Reason_names_resolve_to_this_kernel_numbers_with_or_without_prefix_in_any_case()
    {
        Assert.Equal([3, 12, 40], DropReasonNames.Resolve(["NO_SOCKET", "netfilter_drop", "SKB_DROP_REASON_TCP_LISTEN_OVERFLOW", "no_socket"], Enums));
    }

    [Fact]
    public void A_bad_reason_is_a_usage_error_naming_it_and_listing_the_valid_names()
    {
        CliException e = Assert.Throws<CliException>(() => DropReasonNames.Resolve(["NETFILTER"], Enums));

        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.Equal("--reason: 'NETFILTER' is not a drop reason of this kernel; valid names: NETFILTER_DROP, NO_SOCKET, TCP_LISTEN_OVERFLOW", e.Message);
    }

    [Fact]
    public void A_kernel_without_drop_reasons_refuses_the_option()
    {
        CliException e = Assert.Throws<CliException>(() => DropReasonNames.Resolve(["NO_SOCKET"], KernelEnums.BuiltIn));

        Assert.Contains("5.17", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reason_is_a_kernel_filter_and_refused_with_from()
    {
        (int code, _, string err) = Run("drops", "--from", "x.tsrec", "--reason", "NO_SOCKET");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--reason filters in the kernel while tracing", err);
    }

    [Theory]
    [InlineData("--stacks", "--stacks cannot be used with --count")]
    [InlineData("--findings", "--findings cannot be used with --count")]
    [InlineData("--record=x.tsrec", "--record cannot be used with --count")]
    [InlineData("--from=x.tsrec", "--from cannot be used with --count")]
    [InlineData("--ring-size=1", "--ring-size cannot be used with --count")]
    public void Count_refuses_what_needs_the_drops_themselves(string option, string error)
    {
        (int code, _, string err) = Run("drops", "-c", option);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(error, err);
    }

    [Fact]
    public void Interval_goes_with_count_and_c_is_count_in_drops()
    {
        (int code, _, string err) = Run("drops", "--interval", "2");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--interval goes with --count", err);

        var command = new DropsCommand(new CliConsole(TextWriter.Null, TextWriter.Null));
        System.CommandLine.ParseResult r = command.Command.Parse(["-c", "-i", "0.5", "--comm", "nginx"]);
        Assert.Empty(r.Errors);
        DropsSettings s = command.Bind(r);
        Assert.Equal((true, TimeSpan.FromSeconds(0.5), "nginx"), (s.Count, s.Interval, s.Filter.Comm));
    }

    [Fact]
    public void A_bad_interval_names_the_option_and_the_value()
    {
        (int code, _, string err) = Run("drops", "-c", "--interval", "0");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--interval: '0' is not a positive number of seconds", err);
    }

    [Theory]
    [InlineData("-i", "nan", "--interval: 'nan' is not a positive number of seconds")]
    [InlineData("-i", "0.01", "--interval: '0.01' is shorter than 0.1 s")]
    [InlineData("-d", "NaN", "--duration: 'NaN' is not a positive number of seconds")]
    public void Nan_and_tiny_seconds_are_usage_errors(string option, string value, string error)
    {
        (int code, _, string err) = Run("drops", "-c", option, value);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(error, err);
    }

    [Fact]
    public void An_empty_reason_is_a_usage_error()
    {
        (int code, _, string err) = Run("drops", "--reason", "");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--reason: '' is not a drop reason name", err);
    }
}
