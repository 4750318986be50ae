using System.Net;
using System.Text.Json.Nodes;

namespace Sop.Web.Tests;

/// <summary>The Transactions section of rest-api.md.</summary>
public sealed class TransactionApiTests(SiloApp app) : IClassFixture<SiloApp>
{
    private async Task<HttpClient> StoreAsync(string name)
    {
        var client = await app.ClientAsync();
        await (await client.PostJsonAsync("/api/stores", $$"""{"name":"{{name}}"}""")).JsonAsync(HttpStatusCode.Created);
        return client;
    }

    [Fact]
    public async Task EveryOperation_ResultsInOrder_SeeingEarlierWrites()
    {
        var client = await StoreAsync("accounts");
        await (await client.PutJsonAsync("/api/stores/accounts/items/alice", """{"balance":1}""")).JsonAsync(HttpStatusCode.OK);
        await (await client.PutJsonAsync("/api/stores/accounts/items/dave", "4")).JsonAsync(HttpStatusCode.OK);
        var reply = await (await client.PostJsonAsync("/api/transactions", """
            {"mode":"forWriting","operations":[
              {"op":"get","store":"accounts","key":"alice"},
              {"op":"add","store":"accounts","key":"carol","value":{"balance":5}},
              {"op":"update","store":"accounts","key":"alice","value":{"balance":7}},
              {"op":"upsert","store":"accounts","key":"bob","value":{"balance":1}},
              {"op":"remove","store":"accounts","key":"dave"},
              {"op":"get","store":"accounts","key":"alice"},
              {"op":"add","store":"accounts","key":"dave","value":null},
              {"op":"range","store":"accounts","from":"a","to":"c","limit":10,"keysOnly":false},
              {"op":"get","store":"accounts","key":"nobody"}]}
            """)).JsonAsync(HttpStatusCode.OK);
        Assert.True(reply["committed"]!.GetValue<bool>());
        var r = reply["results"]!.AsArray();
        Assert.Equal("""{"found":true,"value":{"balance":1}}""", r[0]!.ToJsonString());
        Assert.Equal("""{"ok":true}""", r[1]!.ToJsonString());
        Assert.Equal("""{"found":true,"value":{"balance":7}}""", r[5]!.ToJsonString()); // sees its own update
        Assert.Equal("""{"ok":true}""", r[6]!.ToJsonString()); // add after remove of the same key
        Assert.Equal("""{"items":[{"key":"alice","value":{"balance":7}},{"key":"bob","value":{"balance":1}}],"next":null}""", r[7]!.ToJsonString());
        Assert.Equal("""{"found":false}""", r[8]!.ToJsonString());
        Assert.Equal("""{"key":"dave","value":null}""", (await (await client.GetAsync("/api/stores/accounts/items/dave")).JsonAsync(HttpStatusCode.OK)).ToJsonString());
    }

    [Theory]
    [InlineData("add", """{"op":"add","store":"t422","key":"exists","value":2}""")]
    [InlineData("update", """{"op":"update","store":"t422","key":"missing","value":2}""")]
    [InlineData("remove", """{"op":"remove","store":"t422","key":"missing"}""")]
    public async Task OperationFailing_Is422_WithItsIndex_AndLeavesNoTrace(string _, string failing)
    {
        var client = await app.ClientAsync();
        await client.PostJsonAsync("/api/stores", """{"name":"t422"}""");
        await client.PutJsonAsync("/api/stores/t422/items/exists", "1");
        var problem = await (await client.PostJsonAsync("/api/transactions", $$"""
            {"operations":[{"op":"upsert","store":"t422","key":"trace","value":1},{{failing}}]}
            """)).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(1, problem["operationIndex"]!.GetValue<int>());
        await (await client.GetAsync("/api/stores/t422/items/trace")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task UnknownStore_Is404_WithItsIndex()
    {
        var client = await StoreAsync("t404");
        var problem = await (await client.PostJsonAsync("/api/transactions", """
            {"operations":[{"op":"get","store":"t404","key":"a"},{"op":"get","store":"nope","key":"a"}]}
            """)).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(1, problem["operationIndex"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""{"mode":1,"operations":[]}""")]
    [InlineData("""{"mode":"sometimes","operations":[]}""")]
    [InlineData("""{"operations":[{"op":"teleport","store":"t400","key":"a"}]}""")]
    [InlineData("""{"mode":"forReading","operations":[{"op":"upsert","store":"t400","key":"a","value":1}]}""")]
    [InlineData("""{"mode":"noCheck","operations":[{"op":"remove","store":"t400","key":"a"}]}""")]
    [InlineData("""{"operations":[{"op":"get","store":"t400"}]}""")]
    [InlineData("""{"operations":[{"op":"get","store":"t400","key":""}]}""")]
    [InlineData("""{"operations":[{"op":"get","store":"t400","key":5}]}""")]
    [InlineData("""{"operations":[{"op":"add","store":"t400","key":"a"}]}""")]
    [InlineData("""{"operations":[{"op":"range","store":"t400","limit":0}]}""")]
    [InlineData("""{"operations":[{"op":"range","store":"t400","limit":"5"}]}""")]
    [InlineData("""{"operations":[{"op":"get","store":"../x","key":"a"}]}""")]
    [InlineData("""{"operations":{}}""")]
    [InlineData("""{"mode":"forWriting"}""")]
    [InlineData("""{"operations":[""")]
    public async Task InvalidTransactions_Are400(string body)
    {
        var client = await app.ClientAsync();
        await client.PostJsonAsync("/api/stores", """{"name":"t400"}""");
        await (await client.PostJsonAsync("/api/transactions", body)).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task MoreThan10000Operations_Is400()
    {
        var client = await StoreAsync("tmany");
        var ops = new JsonArray(Enumerable.Range(0, 10_001).Select(i => (JsonNode)new JsonObject { ["op"] = "get", ["store"] = "tmany", ["key"] = "k" }).ToArray());
        await (await client.PostJsonAsync("/api/transactions", new JsonObject { ["operations"] = ops }.ToJsonString())).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ReadOnlyModes_ReadAndCommitNothing()
    {
        var client = await StoreAsync("tread");
        await client.PutJsonAsync("/api/stores/tread/items/a", "1");
        foreach (string mode in new[] { "forReading", "noCheck" })
        {
            var reply = await (await client.PostJsonAsync("/api/transactions", $$"""{"mode":"{{mode}}","operations":[{"op":"get","store":"tread","key":"a"}]}""")).JsonAsync(HttpStatusCode.OK);
            Assert.Equal("""{"committed":true,"results":[{"found":true,"value":1}]}""", reply.ToJsonString());
        }
    }
}
