using System.Net;
using System.Text.Json.Nodes;

namespace Sop.Web.Tests;

/// <summary>The Macros, Tasks and Agents sections of rest-api.md (no LLM configured).</summary>
public sealed class ComputeApiTests(SiloApp app) : IClassFixture<SiloApp>
{
    [Fact]
    public async Task Macros_PutReplaceGetListRunDelete()
    {
        var client = await app.ClientAsync();
        const string body = """{"description":"double","parameters":[{"name":"x","type":"number","required":true}],"steps":[{"kind":"script","code":"return args.x * 2;"}]}""";
        var created = await (await client.PutJsonAsync("/api/macros/double", body)).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("double", created["name"]!.GetValue<string>());
        await (await client.PutJsonAsync("/api/macros/double", body)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("double", (await (await client.GetAsync("/api/macros/double")).JsonAsync(HttpStatusCode.OK))["description"]!.GetValue<string>());
        Assert.Contains((await (await client.GetAsync("/api/macros")).JsonAsync(HttpStatusCode.OK)).AsArray(), m => m!["name"]!.GetValue<string>() == "double");
        Assert.Equal("""{"result":42,"committed":true}""", (await (await client.PostJsonAsync("/api/macros/double/run", """{"args":{"x":21}}""")).JsonAsync(HttpStatusCode.OK)).ToJsonString());
        await (await client.PostJsonAsync("/api/macros/double/run", """{"args":{"x":"21"}}""")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await client.PostJsonAsync("/api/macros/double/run", """{"args":{}}""")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await client.PostJsonAsync("/api/macros/nope/run", """{"args":{}}""")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/macros/double")).StatusCode);
        await (await client.DeleteAsync("/api/macros/double")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync("/api/macros/double")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("bad name", """{"steps":[{"kind":"script","code":"return 1"}]}""")]
    [InlineData("parse", """{"steps":[{"kind":"script","code":"return ("}]}""")]
    [InlineData("scope", """{"transactionScope":1,"steps":[{"kind":"script","code":"return 1"}]}""")]
    [InlineData("kind", """{"steps":[{"kind":"teleport"}]}""")]
    [InlineData("empty", """{"steps":[]}""")]
    public async Task InvalidMacros_Are400(string name, string body)
    {
        var client = await app.ClientAsync();
        await (await client.PutJsonAsync("/api/macros/" + Uri.EscapeDataString(name), body)).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task InvalidMacroNamesInPaths_Are400()
    {
        var client = await app.ClientAsync();
        await (await client.GetAsync("/api/macros/has.dot")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await client.DeleteAsync("/api/macros/" + new string('m', 65))).ProblemAsync(HttpStatusCode.BadRequest);
        await (await client.PostJsonAsync("/api/macros/bad%20name/run", "{}")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task FailingStep_Is422_WithStepIndex_SingleScopeCommitsNothing_ScriptLimitsLeaveTheServerHealthy()
    {
        var client = await app.ClientAsync();
        await client.PostJsonAsync("/api/stores", """{"name":"msteps"}""");
        await client.PutJsonAsync("/api/macros/twostep", """
            {"steps":[{"kind":"put","store":"msteps","key":"first","value":1},{"kind":"script","code":"throw new Error('boom');"}]}
            """);
        var problem = await (await client.PostJsonAsync("/api/macros/twostep/run", "{}")).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(1, problem["stepIndex"]!.GetValue<int>());
        Assert.Contains("boom", problem["detail"]!.GetValue<string>());
        await (await client.GetAsync("/api/stores/msteps/items/first")).ProblemAsync(HttpStatusCode.NotFound);
        await client.PutJsonAsync("/api/macros/spin", """{"steps":[{"kind":"script","code":"while (true) {}"}]}""");
        var limit = await (await client.PostJsonAsync("/api/macros/spin/run", "{}")).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Matches("(statement|time) limit", limit["detail"]!.GetValue<string>());
        await (await client.GetAsync("/health")).JsonAsync(HttpStatusCode.OK);
        await client.PutJsonAsync("/api/macros/asks", """{"steps":[{"kind":"ask","prompt":"hi"}]}""");
        var noLlm = await (await client.PostJsonAsync("/api/macros/asks/run", "{}")).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("no LLM configured", noLlm["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Tasks_FanOutCompletes_ListCancelAndErrors()
    {
        var client = await app.ClientAsync();
        await client.PostJsonAsync("/api/stores", """{"name":"tout"}""");
        await client.PutJsonAsync("/api/macros/store-it", """{"parameters":[{"name":"i","type":"number","required":true}],"steps":[{"kind":"put","store":"tout","key":"k{{args.i}}","value":"{{args.i}}"}]}""");
        var inputs = new JsonArray(Enumerable.Range(0, 30).Select(i => (JsonNode)new JsonObject { ["i"] = i }).ToArray());
        var accepted = await (await client.PostJsonAsync("/api/tasks", new JsonObject { ["macro"] = "store-it", ["inputs"] = inputs }.ToJsonString())).JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("queued", accepted["status"]!.GetValue<string>());
        string id = accepted["id"]!.GetValue<string>();
        JsonNode view;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        int last = 0;
        do
        {
            view = await (await client.GetAsync("/api/tasks/" + id)).JsonAsync(HttpStatusCode.OK);
            Assert.True(view["completed"]!.GetValue<int>() >= last);
            last = view["completed"]!.GetValue<int>();
            Assert.True(DateTime.UtcNow < deadline, "the task never completed");
            await Task.Delay(50);
        }
        while (view["status"]!.GetValue<string>() != "completed");
        Assert.Equal((30, 30, 0), (view["total"]!.GetValue<int>(), view["completed"]!.GetValue<int>(), view["failed"]!.GetValue<int>()));
        Assert.Equal(30, view["results"]!.AsArray().Count);
        Assert.Equal("""{"key":"k7","value":7}""", (await (await client.GetAsync("/api/stores/tout/items/k7")).JsonAsync(HttpStatusCode.OK)).ToJsonString());
        var list = (await (await client.GetAsync("/api/tasks")).JsonAsync(HttpStatusCode.OK)).AsArray();
        Assert.Equal(id, list[0]!["id"]!.GetValue<string>());
        Assert.Null(list[0]!["results"]);
        await (await client.DeleteAsync("/api/tasks/" + id)).ProblemAsync(HttpStatusCode.Conflict);
        await (await client.DeleteAsync("/api/tasks/0000000000000-00000000")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync("/api/tasks/0000000000000-00000000")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostJsonAsync("/api/tasks", """{"macro":"nope","inputs":[]}""")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostJsonAsync("/api/tasks", """{"goal":"make money"}""")).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        await (await client.PostJsonAsync("/api/tasks", """{"macro":"store-it","inputs":{}}""")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await client.PostJsonAsync("/api/tasks", """{}""")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Agents_AtLeastOne_WithTheMacrosAsTools_NewMacrosAppearWithoutRestart()
    {
        var client = await app.ClientAsync();
        await client.PutJsonAsync("/api/macros/tool-a", """{"description":"a tool","steps":[{"kind":"script","code":"return 1;"}]}""");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        JsonArray agents;
        do
        {
            agents = (await (await client.GetAsync("/api/agents")).JsonAsync(HttpStatusCode.OK)).AsArray();
            if (agents.Count > 0) break;
            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        var agent = Assert.Single(agents);
        Assert.False(string.IsNullOrEmpty(agent!["silo"]!.GetValue<string>()));
        Assert.Contains(agent["tools"]!.AsArray(), t => t!["name"]!.GetValue<string>() == "tool-a");
        await client.PutJsonAsync("/api/macros/tool-b", """{"steps":[{"kind":"script","code":"return 2;"}]}""");
        var again = (await (await client.GetAsync("/api/agents")).JsonAsync(HttpStatusCode.OK)).AsArray();
        Assert.Contains(again[0]!["tools"]!.AsArray(), t => t!["name"]!.GetValue<string>() == "tool-b");
    }
}
