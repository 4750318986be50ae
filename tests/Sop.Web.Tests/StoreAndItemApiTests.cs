using System.Net;
using System.Text.Json.Nodes;

namespace Sop.Web.Tests;

/// <summary>Stores and Items sections of rest-api.md, every documented answer, on the standalone silo.</summary>
public sealed class StoreAndItemApiTests(SiloApp app) : IClassFixture<SiloApp>
{
    private async Task<HttpClient> NewStoreAsync(string name, string extra = "")
    {
        var client = await app.ClientAsync();
        await (await client.PostJsonAsync("/api/stores", $$"""{"name":"{{name}}"{{extra}}}""")).JsonAsync(HttpStatusCode.Created);
        return client;
    }

    [Fact]
    public async Task Health_IsHealthyJson()
    {
        var client = await app.ClientAsync();
        Assert.Equal("healthy", (await (await client.GetAsync("/health")).JsonAsync(HttpStatusCode.OK))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateStore_Defaults_Conflict_GetListDelete()
    {
        var client = await app.ClientAsync();
        var created = await (await client.PostJsonAsync("/api/stores", """{"name":"s1","description":"d","extra":"ignored"}""")).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(("s1", 500, true, true, "d"), (created["name"]!.GetValue<string>(), created["slotLength"]!.GetValue<int>(),
            created["uniqueKeys"]!.GetValue<bool>(), created["valueInNode"]!.GetValue<bool>(), created["description"]!.GetValue<string>()));
        await (await client.PostJsonAsync("/api/stores", """{"name":"s1"}""")).ProblemAsync(HttpStatusCode.Conflict);
        await (await client.PutJsonAsync("/api/stores/s1/items/k", "1")).JsonAsync(HttpStatusCode.OK);
        var info = await (await client.GetAsync("/api/stores/s1")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, info["count"]!.GetValue<long>());
        var list = (await (await client.GetAsync("/api/stores")).JsonAsync(HttpStatusCode.OK)).AsArray();
        Assert.Contains(list, s => s!["name"]!.GetValue<string>() == "s1" && s["count"]!.GetValue<long>() == 1);
        Assert.DoesNotContain(list, s => s!["name"]!.GetValue<string>().StartsWith('.')); // system stores stay hidden
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/stores/s1")).StatusCode);
        await (await client.GetAsync("/api/stores/s1")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.DeleteAsync("/api/stores/s1")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{"name":"../x"}""")]
    [InlineData("""{"name":".hidden"}""")]
    [InlineData("""{"name":""}""")]
    [InlineData("""{"name":"a/b"}""")]
    [InlineData("""{"name":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}""")]
    [InlineData("""{"slotLength":500}""")]
    [InlineData("""{"name":"ok","slotLength":"500"}""")]
    [InlineData("""{"name":"ok","slotLength":3}""")]
    [InlineData("""{"name":"ok","slotLength":10001}""")]
    [InlineData("""{"name":"ok","uniqueKeys":"yes"}""")]
    [InlineData("""{"name":"ok""")]
    [InlineData("""[1,2]""")]
    public async Task CreateStore_BadInput_Is400(string body)
    {
        var client = await app.ClientAsync();
        var problem = await (await client.PostJsonAsync("/api/stores", body)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.False(string.IsNullOrEmpty(problem["detail"]?.GetValue<string>()));
    }

    [Fact]
    public async Task BadStoreNamesInPaths_Are400_NeverEscapeTheFolder()
    {
        var client = await app.ClientAsync();
        await (await client.GetAsync("/api/stores/..%2Fx")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await client.GetAsync("/api/stores/.macros")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await client.GetAsync("/api/stores/..%2F..%2Fetc/items/passwd")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task WrongMediaType_Is415_UnknownMethod_Is405_DeepJson_Is400()
    {
        var client = await app.ClientAsync();
        await (await client.SendAsync(HttpMethod.Post, "/api/stores", """{"name":"x"}""", "text/plain")).ProblemAsync(HttpStatusCode.UnsupportedMediaType);
        await (await client.SendAsync(HttpMethod.Patch, "/api/stores")).ProblemAsync(HttpStatusCode.MethodNotAllowed);
        await NewStoreAsync("deep");
        await (await client.PutJsonAsync("/api/stores/deep/items/k", Api.Deep(65))).ProblemAsync(HttpStatusCode.BadRequest);
        await (await client.PutJsonAsync("/api/stores/deep/items/k", Api.Deep(64))).JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Items_PutGetDelete_NullValues_KeysDecodedOnce()
    {
        var client = await NewStoreAsync("items");
        var put = await (await client.PutJsonAsync("/api/stores/items/items/a%2Fb", """{"x":1}""")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("""{"key":"a/b","value":{"x":1}}""", put.ToJsonString());
        Assert.Equal("""{"key":"a/b","value":{"x":1}}""", (await (await client.GetAsync("/api/stores/items/items/a%2Fb")).JsonAsync(HttpStatusCode.OK)).ToJsonString());
        await (await client.PutJsonAsync("/api/stores/items/items/%2541", "null")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("""{"key":"%41","value":null}""", (await (await client.GetAsync("/api/stores/items/items/%2541")).JsonAsync(HttpStatusCode.OK)).ToJsonString());
        await (await client.GetAsync("/api/stores/items/items/A")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/stores/items/items/a%2Fb")).StatusCode);
        await (await client.DeleteAsync("/api/stores/items/items/a%2Fb")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync("/api/stores/nostore/items/k")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.PutJsonAsync("/api/stores/nostore/items/k", "1")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Keys_LongerThan1024Bytes_Are400_1024AreFine()
    {
        var client = await NewStoreAsync("keys");
        await (await client.PutJsonAsync("/api/stores/keys/items/" + new string('k', 1025), "1")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await client.PutJsonAsync("/api/stores/keys/items/" + Uri.EscapeDataString(new string('é', 513)), "1")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await client.PutJsonAsync("/api/stores/keys/items/" + new string('k', 1024), "1")).JsonAsync(HttpStatusCode.OK);
        await (await client.PutJsonAsync("/api/stores/keys/items/k", "")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Paging_250Items_VisitsEachOnce_InByteOrder_KeysOnly_Desc_Ranges()
    {
        var client = await NewStoreAsync("pages");
        var ops = new JsonArray(Enumerable.Range(0, 250).Select(i => (JsonNode)new JsonObject { ["op"] = "add", ["store"] = "pages", ["key"] = $"k{i:D3}", ["value"] = i }).ToArray());
        await (await client.PostJsonAsync("/api/transactions", new JsonObject { ["operations"] = ops }.ToJsonString())).JsonAsync(HttpStatusCode.OK);
        var seen = new List<string>();
        string? next = null;
        int pages = 0;
        do
        {
            var page = await (await client.GetAsync("/api/stores/pages/items?limit=100" + (next is null ? "" : "&after=" + Uri.EscapeDataString(next)))).JsonAsync(HttpStatusCode.OK);
            var items = page["items"]!.AsArray();
            next = page["next"]?.GetValue<string>();
            if (next is not null) Assert.Equal(100, items.Count); // every page but the last is full
            seen.AddRange(items.Select(i => i!["key"]!.GetValue<string>()));
            pages++;
        }
        while (next is not null);
        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 250).Select(i => $"k{i:D3}"), seen);

        var keysOnly = await (await client.GetAsync("/api/stores/pages/items?keysOnly=true&limit=2")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("""[{"key":"k000"},{"key":"k001"}]""", keysOnly["items"]!.ToJsonString());
        var desc = await (await client.GetAsync("/api/stores/pages/items?desc=true&to=k100&limit=2")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["k099", "k098"], desc["items"]!.AsArray().Select(i => i!["key"]!.GetValue<string>()));
        var range = await (await client.GetAsync("/api/stores/pages/items?from=k010&to=k013")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["k010", "k011", "k012"], range["items"]!.AsArray().Select(i => i!["key"]!.GetValue<string>()));
        Assert.Null(range["next"]);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=10001")]
    [InlineData("limit=abc")]
    [InlineData("keysOnly=maybe")]
    [InlineData("after=not-a-cursor")]
    public async Task Paging_BadQuery_Is400(string query)
    {
        var client = await NewStoreAsync("badq" + Math.Abs(query.GetHashCode() % 10000));
        string store = "badq" + Math.Abs(query.GetHashCode() % 10000);
        await (await client.GetAsync($"/api/stores/{store}/items?{query}")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task NonUniqueStore_AddsDuplicates_RangeReturnsAllInInsertionOrder()
    {
        var client = await NewStoreAsync("dups", ""","uniqueKeys":false""");
        await (await client.PostJsonAsync("/api/transactions", """
            {"operations":[{"op":"add","store":"dups","key":"k","value":1},{"op":"add","store":"dups","key":"k","value":2},{"op":"add","store":"dups","key":"k","value":3}]}
            """)).JsonAsync(HttpStatusCode.OK);
        var all = await (await client.GetAsync("/api/stores/dups/items")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([1, 2, 3], all["items"]!.AsArray().Select(i => i!["value"]!.GetValue<int>()));
        var reverse = await (await client.GetAsync("/api/stores/dups/items?desc=true")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([3, 2, 1], reverse["items"]!.AsArray().Select(i => i!["value"]!.GetValue<int>()));
        Assert.Equal(1, (await (await client.GetAsync("/api/stores/dups/items/k")).JsonAsync(HttpStatusCode.OK))["value"]!.GetValue<int>());
        var paged = new List<int>();
        string? next = null;
        do
        {
            var page = await (await client.GetAsync("/api/stores/dups/items?limit=1" + (next is null ? "" : "&after=" + Uri.EscapeDataString(next)))).JsonAsync(HttpStatusCode.OK);
            paged.AddRange(page["items"]!.AsArray().Select(i => i!["value"]!.GetValue<int>()));
            next = page["next"]?.GetValue<string>();
        }
        while (next is not null);
        Assert.Equal([1, 2, 3], paged);
    }
}
