using System.Net;
using Spectre.Console.Testing;

namespace Sop.Cli.Tests;

/// <summary>The CLI's commands, what they send, what they print and their exit codes (0 ok, 1 failure, 2 usage).</summary>
public sealed class CliTests : IDisposable
{
    private readonly RecordingHandler _server = new();
    private readonly TestConsole _console = new();
    private readonly StringWriter _out = new();
    private readonly StringWriter _err = new();
    private readonly List<string> _files = [];

    private Task<int> RunAsync(params string[] args) =>
        SopCli.RunAsync(args, _console, _out, _err, (url, key) =>
        {
            var http = new HttpClient(_server, disposeHandler: false) { BaseAddress = url };
            if (key is not null) http.DefaultRequestHeaders.Add("X-Api-Key", key);
            return http;
        });

    private string TempFile(string content)
    {
        string path = Path.Combine(Path.GetTempPath(), $"sop-cli-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, content);
        _files.Add(path);
        return path;
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("get", "onlystore")]
    [InlineData("put", "s", "k")]
    [InlineData("--url", "not a url", "stores", "list")]
    [InlineData("scan", "s", "--limit", "0")]
    [InlineData("task", "submit", "--macro", "m")]
    public async Task BadUsage_ExitsWithTwo_AndSaysWhy(params string[] args)
    {
        Assert.Equal(SopCli.Usage, await RunAsync(args));
        Assert.Contains("error:", _err.ToString());
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task StoresList_GetsTheStores_AndPrintsATable()
    {
        _server.Answer(HttpStatusCode.OK, """[{"name":"accounts","count":123,"slotLength":500,"uniqueKeys":true}]""");
        Assert.Equal(SopCli.Ok, await RunAsync("stores", "list"));
        Assert.Equal(("GET", "/api/stores", (string?)null, (string?)null), _server.Requests.Single());
        Assert.Contains("accounts", _console.Output);
        Assert.Contains("123", _console.Output);
    }

    [Fact]
    public async Task StoresCreate_PostsTheContractsBody()
    {
        _server.Answer(HttpStatusCode.Created, """{"name":"a","slotLength":64}""");
        Assert.Equal(SopCli.Ok, await RunAsync("stores", "create", "a", "--slot-length", "64", "--non-unique"));
        var request = _server.Requests.Single();
        Assert.Equal(("POST", "/api/stores"), (request.Method, request.Target));
        Assert.Equal("""{"name":"a","uniqueKeys":false,"valueInNode":true,"slotLength":64}""", request.Body);
    }

    [Fact]
    public async Task Get_EncodesTheKeyAsOneSegment_AndSendsTheApiKey()
    {
        _server.Answer(HttpStatusCode.OK, """{"key":"a/b c","value":{"x":1}}""");
        Assert.Equal(SopCli.Ok, await RunAsync("get", "s", "a/b c", "--api-key", "secret"));
        Assert.Equal(("GET", "/api/stores/s/items/a%2Fb%20c", (string?)null, "secret"), _server.Requests.Single());
        Assert.Contains("\"x\": 1", _out.ToString());
    }

    [Fact]
    public async Task DotKeys_GoThroughATransaction()
    {
        _server.Answer(HttpStatusCode.OK, """{"committed":true,"results":[{"found":true,"value":5}]}""");
        Assert.Equal(SopCli.Ok, await RunAsync("get", "s", ".."));
        var request = _server.Requests.Single();
        Assert.Equal(("POST", "/api/transactions"), (request.Method, request.Target));
        Assert.Equal("""{"mode":"forReading","operations":[{"op":"get","store":"s","key":".."}]}""", request.Body);
        Assert.Contains("\"value\": 5", _out.ToString());
    }

    [Fact]
    public async Task Put_SendsTheJsonValue_NullIncluded()
    {
        _server.Answer(HttpStatusCode.OK, """{"key":"k","value":null}""");
        Assert.Equal(SopCli.Ok, await RunAsync("put", "s", "k", "null"));
        Assert.Equal(("PUT", "/api/stores/s/items/k", (string?)"null", (string?)null), _server.Requests.Single());
    }

    [Fact]
    public async Task Put_InvalidJson_IsAUsageError_NothingSent()
    {
        Assert.Equal(SopCli.Usage, await RunAsync("put", "s", "k", "{oops"));
        Assert.Contains("not valid JSON", _err.ToString());
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task ApiError_ExitsWithOne_PrintingTheProblemDetail()
    {
        _server.Answer(HttpStatusCode.NotFound, """{"type":"about:blank","title":"Not Found","status":404,"detail":"store 'nope' does not exist"}""");
        Assert.Equal(SopCli.Failure, await RunAsync("get", "nope", "k"));
        Assert.Contains("404 store 'nope' does not exist", _err.ToString());
    }

    [Fact]
    public async Task Scan_All_FollowsTheCursor()
    {
        _server.Answer(HttpStatusCode.OK, """{"items":[{"key":"a"}],"next":"c1"}""").Answer(HttpStatusCode.OK, """{"items":[{"key":"b"}],"next":null}""");
        Assert.Equal(SopCli.Ok, await RunAsync("scan", "s", "--from", "a", "--limit", "1", "--keys-only", "--all"));
        Assert.Equal(["/api/stores/s/items?limit=1&from=a&keysOnly=true", "/api/stores/s/items?limit=1&from=a&keysOnly=true&after=c1"],
            _server.Requests.Select(r => r.Target));
        Assert.Equal(["""{"key":"a"}""", """{"key":"b"}"""], _out.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    [Fact]
    public async Task Tx_WrapsAnArrayOfOperations()
    {
        string file = TempFile("""[{"op":"upsert","store":"s","key":"k","value":1}]""");
        _server.Answer(HttpStatusCode.OK, """{"committed":true,"results":[{"ok":true}]}""");
        Assert.Equal(SopCli.Ok, await RunAsync("tx", "-f", file));
        Assert.Equal("""{"operations":[{"op":"upsert","store":"s","key":"k","value":1}]}""", _server.Requests.Single().Body);
    }

    [Fact]
    public async Task MacroRun_PostsTheArguments()
    {
        _server.Answer(HttpStatusCode.OK, """{"result":7,"committed":true}""");
        Assert.Equal(SopCli.Ok, await RunAsync("macro", "run", "add", "--args", """{"a":3,"b":4}"""));
        Assert.Equal(("POST", "/api/macros/add/run", (string?)"""{"args":{"a":3,"b":4}}""", (string?)null), _server.Requests.Single());
        Assert.Contains("\"result\": 7", _out.ToString());
    }

    [Fact]
    public async Task TaskSubmit_Detach_PrintsTheIdAtOnce()
    {
        string inputs = TempFile("{\"i\":1}\n\n{\"i\":2}\n");
        _server.Answer(HttpStatusCode.Accepted, """{"id":"t1","status":"queued"}""");
        Assert.Equal(SopCli.Ok, await RunAsync("task", "submit", "--macro", "m", "--inputs", inputs, "--detach"));
        Assert.Equal("""{"macro":"m","inputs":[{"i":1},{"i":2}]}""", _server.Requests.Single().Body);
        Assert.Equal("t1", _out.ToString().Trim());
    }

    [Fact]
    public async Task TaskSubmit_FollowsProgressUntilTheTaskEnds()
    {
        string inputs = TempFile("{\"i\":1}\n{\"i\":2}\n");
        _server.Answer(HttpStatusCode.Accepted, """{"id":"t2","status":"queued"}""")
            .Answer(HttpStatusCode.OK, """{"id":"t2","status":"running","total":2,"completed":1,"failed":0}""")
            .Answer(HttpStatusCode.OK, """{"id":"t2","status":"completed","total":2,"completed":2,"failed":0,"results":[]}""");
        Assert.Equal(SopCli.Ok, await RunAsync("task", "submit", "--macro", "m", "--inputs", inputs));
        Assert.Equal(["POST /api/tasks", "GET /api/tasks/t2", "GET /api/tasks/t2"], _server.Requests.Select(r => $"{r.Method} {r.Target}"));
        Assert.Contains("running 1 completed, 0 failed of 2", _err.ToString());
        Assert.Contains("\"status\": \"completed\"", _out.ToString());
    }

    [Fact]
    public async Task UnreachableServer_ExitsWithOne()
    {
        var code = await SopCli.RunAsync(["stores", "list", "--url", "http://127.0.0.1:9"], _console, _out, _err);
        Assert.Equal(SopCli.Failure, code);
        Assert.Contains("cannot reach", _err.ToString());
    }

    public void Dispose()
    {
        foreach (string file in _files) File.Delete(file);
        _server.Dispose();
    }
}
