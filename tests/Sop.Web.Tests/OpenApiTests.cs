using System.Net;

namespace Sop.Web.Tests;

/// <summary>The OpenAPI document and its Scalar UI, open even when an API key guards /api.</summary>
public sealed class OpenApiTests(GuardedSiloApp app) : IClassFixture<GuardedSiloApp>
{
    [Fact]
    public async Task OpenApiDocument_ListsTheApi_AndDocsServeHtml_WithoutTheKey()
    {
        var client = await app.ClientAsync();
        var document = await (await client.GetAsync("/openapi/v1.json")).JsonAsync(HttpStatusCode.OK);
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        foreach (string path in new[] { "/api/stores", "/api/stores/{store}/items/{key}", "/api/transactions", "/api/macros/{name}/run", "/api/tasks", "/api/agents", "/health" })
            Assert.Contains(path, paths);
        var docs = await client.GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Equal("text/html", docs.Content.Headers.ContentType?.MediaType);
    }
}
