using System.CommandLine;
using System.Text.Json;
using Sop.Cli.Api;
using Sop.Cli.Commands;
using Spectre.Console;

namespace Sop.Cli;

/// <summary>
/// The <c>sop</c> command line over the HTTP API. Exit codes (decisions.md 28): 0 ok, 1 failure (the API refused or
/// could not be reached; its problem-details <c>detail</c> is printed), 2 usage.
/// </summary>
public static class SopCli
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    /// <summary>Runs one command line; <paramref name="httpFactory"/> lets tests point it at an in-process server.</summary>
    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, TextWriter output, TextWriter error,
        Func<Uri, string?, HttpClient>? httpFactory = null, CancellationToken cancellationToken = default)
    {
        var context = new CliContext(httpFactory ?? DefaultHttp, console, output, error);
        var root = new RootCommand("sop - the SopOrleans command line (stores, items, transactions, macros, tasks)")
        {
            context.Url,
            context.ApiKey,
            StoreCommands.Create(context),
            ItemCommands.Get(context),
            ItemCommands.Put(context),
            ItemCommands.Delete(context),
            ItemCommands.Scan(context),
            TransactionCommand.Create(context),
            MacroCommands.Create(context),
            TaskCommands.Create(context),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) await error.WriteLineAsync("error: " + e.Message);
            await error.WriteLineAsync("run 'sop --help' for usage");
            return Usage;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = output, Error = error }, cancellationToken);
        }
        catch (SopApiException e)
        {
            await error.WriteLineAsync($"error: {(int)e.Status} {e.Detail}");
            return Failure;
        }
        catch (HttpRequestException e)
        {
            await error.WriteLineAsync($"error: cannot reach {parse.GetValue(context.Url)}: {e.Message}");
            return Failure;
        }
        catch (Exception e) when (e is JsonException or IOException or InvalidDataException)
        {
            await error.WriteLineAsync("error: " + e.Message);
            return Usage;
        }
    }

    private static HttpClient DefaultHttp(Uri baseUrl, string? apiKey)
    {
        var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(100) };
        if (!string.IsNullOrEmpty(apiKey)) http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return http;
    }
}
