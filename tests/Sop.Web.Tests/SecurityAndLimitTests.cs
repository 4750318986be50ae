using System.Net;

namespace Sop.Web.Tests;

/// <summary>API key and request size limit (a silo configured with both).</summary>
public sealed class SecurityAndLimitTests(GuardedSiloApp app) : IClassFixture<GuardedSiloApp>
{
    [Fact]
    public async Task ApiKey_RequiredOnApi_HealthStaysOpen()
    {
        var client = await app.ClientAsync();
        await (await client.GetAsync("/health")).JsonAsync(HttpStatusCode.OK);
        await (await client.GetAsync("/api/stores")).ProblemAsync(HttpStatusCode.Unauthorized);
        client.DefaultRequestHeaders.Add("X-Api-Key", "wrong");
        await (await client.GetAsync("/api/stores")).ProblemAsync(HttpStatusCode.Unauthorized);
        client.DefaultRequestHeaders.Remove("X-Api-Key");
        client.DefaultRequestHeaders.Add("X-Api-Key", "s3cret");
        await (await client.GetAsync("/api/stores")).JsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task BodyOverTheLimit_Is413()
    {
        var client = await app.ClientAsync();
        client.DefaultRequestHeaders.Add("X-Api-Key", "s3cret");
        await (await client.PostJsonAsync("/api/stores", """{"name":"big"}""")).JsonAsync(HttpStatusCode.Created);
        string big = "\"" + new string('x', 4000) + "\"";
        await (await client.PutJsonAsync("/api/stores/big/items/k", big)).ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        await (await client.PutJsonAsync("/api/stores/big/items/k", "\"small\"")).JsonAsync(HttpStatusCode.OK);
    }
}
