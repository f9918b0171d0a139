using TcpScope.Cli;
using TcpScope.Cli.Verbs;
using TcpScope.Decode;

namespace TcpScope.Tests;

public class CliParsingTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static StatesSettings BindStates(params string[] args)
    {
        var console = new CliConsole(TextWriter.Null, TextWriter.Null);
        var states = new StatesCommand(console);
        System.CommandLine.ParseResult r = states.Command.Parse(args);
        Assert.Empty(r.Errors);
        return states.Bind(r);
    }

    [Theory]
    [InlineData("70000", "--local-port: '70000' is not a port number (1-65535)")]
    [InlineData("0", "--local-port: '0' is not a port number (1-65535)")]
    [InlineData("http", "--local-port: 'http' is not a port number (1-65535)")]
    [InlineData("80,x", "--local-port: 'x' is not a port number (1-65535)")]
    public void A_bad_port_is_a_usage_error_naming_option_and_value(string value, string message)
    {
        (int code, _, string err) = Run("states", "-L", value);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(message, err);
        Assert.Contains("Try 'tcpscope states --help'", err);
    }

    [Fact]
    public void An_unknown_option_is_a_usage_error_naming_it()
    {
        (int code, _, string err) = Run("states", "--frobnicate");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("'--frobnicate'", err);
    }

    [Fact]
    public void Ipv4_and_ipv6_only_exclude_each_other()
    {
        (int code, _, string err) = Run("states", "-4", "-6");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("-4/--ipv4 and -6/--ipv6", err);
    }

    [Fact]
    public void More_ports_than_the_kernel_filter_holds_are_refused()
    {
        (int code, _, string err) = Run("states", "-D", "1,2,3,4,5,6,7,8,9");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--remote-port: 9 ports given, at most 8", err);
    }

    [Fact]
    public void An_unknown_namespace_name_is_a_usage_error()
    {
        (int code, _, string err) = Run("states", "--netns", "no-such-namespace-here");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--netns: 'no-such-namespace-here'", err);
    }

    [Theory]
    [InlineData("--duration", "-1")]
    [InlineData("--close-wait-threshold", "soon")]
    [InlineData("--ring-size", "3")]
    [InlineData("--pid", "0")]
    public void Bad_numbers_are_usage_errors(string option, string value)
    {
        (int code, _, string err) = Run("states", option, value);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains($"{option}: '{value}'", err);
    }

    [Fact]
    public void Ports_repeat_or_come_comma_separated_and_bind_into_the_kernel_filter()
    {
        StatesSettings s = BindStates("-L", "80,443", "-L", "8080", "-D", "5432", "-6", "--pid", "42", "--netns", "4026531840", "-T", "-w", "--json", "--duration", "2.5", "--ring-size", "16");

        Assert.Equal(new ushort[] { 80, 443, 8080 }, s.Filter.LocalPorts);
        Assert.Equal(new ushort[] { 5432 }, s.Filter.RemotePorts);
        Assert.Equal(AddressFamilyKind.IPv6, s.Filter.Family);
        Assert.Equal(42u, s.Filter.Pid);
        Assert.Equal(4026531840u, s.Filter.NetNs);
        Assert.True(s.TimeOfDay);
        Assert.True(s.Wide);
        Assert.True(s.Json);
        Assert.Equal(TimeSpan.FromSeconds(2.5), s.Duration);
        Assert.Equal(16u << 20, s.Trace.RingBytes);
    }

    [Fact]
    public void Defaults_filter_nothing_and_run_until_stopped()
    {
        StatesSettings s = BindStates();

        Assert.Empty(s.Filter.LocalPorts);
        Assert.Equal(AddressFamilyKind.Unspecified, s.Filter.Family);
        Assert.Equal(0u, s.Filter.NetNs);
        Assert.Null(s.Duration);
        Assert.Equal(TimeSpan.FromSeconds(10), s.Rules.CloseWaitThreshold);
    }

    [Fact]
    public void Help_explains_the_verbs_and_exits_zero()
    {
        (int code, string output, _) = Run("--help");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("states", output);
        Assert.Contains("doctor", output);
    }

    [Fact]
    public void States_help_lists_the_filters()
    {
        (int code, string output, _) = Run("states", "--help");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("--local-port", output);
        Assert.Contains("--netns", output);
        Assert.Contains("--json", output);
    }

    [Theory]
    [InlineData("connect", "--comm", "a-name-longer-than-15", "--comm: 'a-name-longer-than-15' is not a command name (1-15 bytes, as the kernel keeps them)")]
    [InlineData("connect", "--slow-handshake", "-5", "--slow-handshake: '-5' is not a positive number of milliseconds")]
    [InlineData("life", "--duration", "soon", "--duration: 'soon' is not a positive number of seconds")]
    [InlineData("life", "--ring-size", "3", "--ring-size: '3' is not a power of two")]
    public void Connection_verbs_name_the_option_and_value_of_a_usage_error(string verb, string option, string value, string message)
    {
        (int code, _, string err) = Run(verb, option, value);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(message, err);
        Assert.Contains($"Try 'tcpscope {verb} --help'", err);
    }

    [Fact]
    public void Connect_binds_its_options_and_the_shared_filters()
    {
        var console = new CliConsole(TextWriter.Null, TextWriter.Null);
        var connect = new ConnectionsCommand(console, Output.ConnectionsView.Connect);
        System.CommandLine.ParseResult r = connect.Command.Parse(["--failed", "--stacks", "--slow-handshake", "250", "--comm", "curl", "-D", "443", "--json", "-d", "30"]);
        Assert.Empty(r.Errors);
        ConnectionsSettings s = connect.Bind(r);

        Assert.Equal(Output.ConnectionsView.Connect, s.View);
        Assert.True(s.FailedOnly && s.Stacks && s.Json);
        Assert.Equal(TimeSpan.FromMilliseconds(250), s.Rules.SlowHandshake);
        Assert.Equal("curl", s.Filter.Comm);
        Assert.Equal([(ushort)443], s.Filter.RemotePorts);
        Assert.Equal(TimeSpan.FromSeconds(30), s.Duration);
    }

    [Theory]
    [InlineData("life", "--local-port", "--comm", "MS = lifetime")]
    [InlineData("connect", "--failed", "--stacks", "timed out")]
    public void Connection_verbs_help_explains_them(string verb, string option1, string option2, string text)
    {
        (int code, string output, _) = Run(verb, "--help");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains(option1, output);
        Assert.Contains(option2, output);
        Assert.Contains(text, output);
    }
}
