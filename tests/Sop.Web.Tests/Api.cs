using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Sop.Web.Tests;

/// <summary>Small helpers: send JSON, read JSON, assert a problem-details answer.</summary>
public static class Api
{
    public static async Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string url, string? json = null, string mediaType = "application/json")
    {
        using var request = new HttpRequestMessage(method, url);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue(mediaType));
        return await client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, string json) => client.SendAsync(HttpMethod.Post, url, json);

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string url, string json) => client.SendAsync(HttpMethod.Put, url, json);

    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(body, documentOptions: new System.Text.Json.JsonDocumentOptions { MaxDepth = 128 })!; // values may be 64 deep inside the reply
    }

    /// <summary>Asserts an RFC 7807 answer with this status and a detail; returns it for more checks.</summary>
    public static async Task<JsonObject> ProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (JsonObject)JsonNode.Parse(body)!;
        Assert.Equal((int)expected, problem["status"]!.GetValue<int>());
        Assert.DoesNotContain("   at ", body); // never a stack trace
        return problem;
    }

    public static string Deep(int depth) => new string('[', depth) + new string(']', depth);
}
