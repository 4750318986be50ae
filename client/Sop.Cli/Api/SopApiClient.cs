using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sop.Cli.Api;

/// <summary>
/// The HTTP API of rest-api.md as the CLI uses it: JSON in, JSON out, errors as <see cref="SopApiException"/> with the
/// problem details' <c>detail</c>. Keys go in one percent-encoded path segment; the keys "." and ".." cannot be path
/// segments (servers drop them), so item calls on them go through <c>/api/transactions</c>.
/// </summary>
public sealed class SopApiClient(HttpClient http)
{
    public Task<JsonNode?> ListStoresAsync(CancellationToken ct) => SendAsync(HttpMethod.Get, "api/stores", null, ct);

    public Task<JsonNode?> CreateStoreAsync(JsonObject body, CancellationToken ct) => SendAsync(HttpMethod.Post, "api/stores", body, ct);

    public Task<JsonNode?> DeleteStoreAsync(string store, CancellationToken ct) => SendAsync(HttpMethod.Delete, $"api/stores/{Segment(store)}", null, ct);

    public async Task<JsonNode?> GetAsync(string store, string key, CancellationToken ct)
    {
        if (!IsPathSafe(key)) return await ViaTransactionAsync(store, key, "get", null, ct).ConfigureAwait(false);
        return await SendAsync(HttpMethod.Get, ItemPath(store, key), null, ct).ConfigureAwait(false);
    }

    public async Task<JsonNode?> PutAsync(string store, string key, JsonNode? value, CancellationToken ct)
    {
        if (!IsPathSafe(key)) return await ViaTransactionAsync(store, key, "upsert", value, ct).ConfigureAwait(false);
        return await SendAsync(HttpMethod.Put, ItemPath(store, key), value, ct, sendNull: true).ConfigureAwait(false);
    }

    public async Task<JsonNode?> DeleteAsync(string store, string key, CancellationToken ct)
    {
        if (!IsPathSafe(key)) return await ViaTransactionAsync(store, key, "remove", null, ct).ConfigureAwait(false);
        return await SendAsync(HttpMethod.Delete, ItemPath(store, key), null, ct).ConfigureAwait(false);
    }

    public Task<JsonNode?> ScanAsync(string store, string query, CancellationToken ct) => SendAsync(HttpMethod.Get, $"api/stores/{Segment(store)}/items{query}", null, ct);

    public Task<JsonNode?> TransactionAsync(JsonNode body, CancellationToken ct) => SendAsync(HttpMethod.Post, "api/transactions", body, ct);

    public Task<JsonNode?> PutMacroAsync(string name, JsonNode body, CancellationToken ct) => SendAsync(HttpMethod.Put, $"api/macros/{Segment(name)}", body, ct);

    public Task<JsonNode?> RunMacroAsync(string name, JsonObject args, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"api/macros/{Segment(name)}/run", new JsonObject { ["args"] = args }, ct);

    public Task<JsonNode?> ListMacrosAsync(CancellationToken ct) => SendAsync(HttpMethod.Get, "api/macros", null, ct);

    public Task<JsonNode?> SubmitTaskAsync(JsonObject body, CancellationToken ct) => SendAsync(HttpMethod.Post, "api/tasks", body, ct);

    public Task<JsonNode?> GetTaskAsync(string id, CancellationToken ct) => SendAsync(HttpMethod.Get, $"api/tasks/{Segment(id)}", null, ct);

    private async Task<JsonNode?> ViaTransactionAsync(string store, string key, string op, JsonNode? value, CancellationToken ct)
    {
        var operation = new JsonObject { ["op"] = op, ["store"] = store, ["key"] = key };
        if (op == "upsert") operation["value"] = value?.DeepClone();
        var body = new JsonObject { ["mode"] = op == "get" ? "forReading" : "forWriting", ["operations"] = new JsonArray(operation) };
        var result = (await TransactionAsync(body, ct).ConfigureAwait(false))?["results"]?[0];
        return op switch
        {
            "get" when result?["found"]?.GetValue<bool>() != true => throw new SopApiException(HttpStatusCode.NotFound, $"key '{key}' not found in store '{store}'"),
            "get" => new JsonObject { ["key"] = key, ["value"] = result!["value"]?.DeepClone() },
            "upsert" => new JsonObject { ["key"] = key, ["value"] = value?.DeepClone() },
            _ => null,
        };
    }

    private async Task<JsonNode?> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken ct, bool sendNull = false)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null || sendNull)
            request.Content = new StringContent(body?.ToJsonString() ?? "null", Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
        string text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw new SopApiException(response.StatusCode, Detail(text, response));
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    private static string Detail(string body, HttpResponseMessage response)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject problem && problem["detail"]?.GetValue<string>() is { Length: > 0 } detail) return detail;
        }
        catch (JsonException)
        {
        }
        return body.Length > 0 ? body : response.ReasonPhrase ?? response.StatusCode.ToString();
    }

    private static string ItemPath(string store, string key) => $"api/stores/{Segment(store)}/items/{Segment(key)}";

    private static bool IsPathSafe(string key) => key is not ("." or "..");

    private static string Segment(string value) => Uri.EscapeDataString(value);
}
