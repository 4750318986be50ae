using System.CommandLine;
using Sop.Cli.Api;
using Spectre.Console;

namespace Sop.Cli;

/// <summary>What every command needs: the global options, the API client they configure, and where output goes.</summary>
internal sealed class CliContext(Func<Uri, string?, HttpClient> httpFactory, IAnsiConsole console, TextWriter output, TextWriter error)
{
    public Option<Uri> Url { get; } = new("--url")
    {
        Description = "The SopOrleans HTTP API (env SOP_URL)",
        Recursive = true,
        DefaultValueFactory = _ => new Uri(Environment.GetEnvironmentVariable("SOP_URL") is { Length: > 0 } url ? url : "http://localhost:5080"),
        CustomParser = r =>
        {
            string text = r.Tokens.Single().Value;
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)) return uri;
            r.AddError($"--url must be an absolute http(s) URL (was '{text}')");
            return null;
        },
    };

    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = "The API key, sent as X-Api-Key (env SOP_API_KEY)",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("SOP_API_KEY"),
    };

    public IAnsiConsole Console { get; } = console;

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public SopApiClient Api(ParseResult parse)
    {
        var baseUrl = parse.GetValue(Url)!;
        if (!baseUrl.AbsoluteUri.EndsWith('/')) baseUrl = new Uri(baseUrl.AbsoluteUri + "/");
        return new SopApiClient(httpFactory(baseUrl, parse.GetValue(ApiKey)));
    }
}
