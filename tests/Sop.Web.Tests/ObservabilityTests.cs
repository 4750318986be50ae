using System.Net;

namespace Sop.Web.Tests;

/// <summary>The Prometheus endpoint with the engine's metrics, and the Orleans Dashboard, beside the API.</summary>
public sealed class ObservabilityTests(GuardedSiloApp app) : IClassFixture<GuardedSiloApp>
{
    [Fact]
    public async Task Metrics_ShowTheEnginesCommits()
    {
        var client = await app.ClientAsync();
        client.DefaultRequestHeaders.Add("X-Api-Key", "s3cret");
        await client.PostJsonAsync("/api/stores", """{"name":"metered"}""");
        (await client.PutJsonAsync("/api/stores/metered/items/k", "1")).EnsureSuccessStatusCode();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string text;
        do
        {
            var response = await client.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            text = await response.Content.ReadAsStringAsync();
            if (text.Contains("sop_commits")) break;
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Contains("sop_commits", text);
    }

    [Fact]
    public async Task Dashboard_IsServed()
    {
        var client = await app.ClientAsync();
        var response = await client.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }
}
