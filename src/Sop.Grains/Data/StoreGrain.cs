using System.Text.Json;
using System.Text.Json.Nodes;
using Orleans.Concurrency;
using Sop.Errors;
using Sop.Grains.Abstractions;
using Sop.Grains.Abstractions.Data;
using Sop.Hosting;
using Sop.Json;
using Sop.Storage;
using Sop.Transactions;

namespace Sop.Grains.Data;

/// <summary>Store administration on this silo's engine (every store of the API is a JSON store).</summary>
[StatelessWorker]
internal sealed class StoreGrain(ISopEngineAccessor engines) : Grain, IStoreGrain
{
    public async Task<ApiReply> Create(string requestJson)
    {
        try
        {
            var body = JsonNode.Parse(requestJson, documentOptions: new JsonDocumentOptions { MaxDepth = 64 }) as JsonObject
                ?? throw new RequestInvalidException("the body must be a JSON object");
            string name = Str(body, "name") ?? throw new RequestInvalidException("'name' is required");
            TxRequestParser.CheckStoreName(name);
            int slotLength = Int(body, "slotLength") ?? SopDefaults.SlotLength;
            if (slotLength is < SopDefaults.MinSlotLength or > SopDefaults.MaxSlotLength)
                throw new RequestInvalidException($"'slotLength' must be within {SopDefaults.MinSlotLength}..{SopDefaults.MaxSlotLength} (was {slotLength})");
            var options = new StoreOptions(name)
            {
                SlotLength = slotLength,
                UniqueKeys = Bool(body, "uniqueKeys") ?? true,
                ValueInNode = Bool(body, "valueInNode") ?? true,
                Description = Str(body, "description"),
            };
            var engine = await engines.GetEngineAsync();
            var info = await engine.CreateJsonStoreAsync(options);
            return ApiReply.Ok(StoreJson.Info(info, 0).ToJsonString(), created: true);
        }
        catch (RequestInvalidException e)
        {
            return ApiReply.Fail(ApiFailureKind.Invalid, e.Message);
        }
        catch (JsonException e)
        {
            return ApiReply.Fail(ApiFailureKind.Invalid, "malformed JSON: " + e.Message);
        }
        catch (StoreAlreadyExistsException e)
        {
            return ApiReply.Fail(ApiFailureKind.Conflict, e.Message);
        }
        catch (InvalidArgumentException e)
        {
            return ApiReply.Fail(ApiFailureKind.Invalid, e.Message);
        }
    }

    public async Task<ApiReply> List()
    {
        var engine = await engines.GetEngineAsync();
        var stores = engine.ListStores().Where(s => StoreNames.IsValidUserName(s.Name)).OrderBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => (JsonNode)StoreJson.Info(s, engine.GetCount(s.Name))).ToArray();
        return ApiReply.Ok(new JsonArray(stores).ToJsonString());
    }

    public async Task<ApiReply> Get(string name)
    {
        var engine = await engines.GetEngineAsync();
        if (!StoreNames.IsValidUserName(name)) return Invalid(name);
        var info = engine.TryGetStoreInfo(name);
        return info is null ? NotFound(name) : ApiReply.Ok(StoreJson.Info(info, engine.GetCount(name)).ToJsonString());
    }

    public async Task<ApiReply> Delete(string name)
    {
        var engine = await engines.GetEngineAsync();
        if (!StoreNames.IsValidUserName(name)) return Invalid(name);
        return await engine.DeleteStoreAsync(name) ? ApiReply.Ok("null") : NotFound(name);
    }

    private static ApiReply Invalid(string name) =>
        ApiReply.Fail(ApiFailureKind.Invalid, $"'{name}' is not a valid store name (1-64 characters of A-Z a-z 0-9 _ . -, not starting with '.')");

    private static ApiReply NotFound(string name) => ApiReply.Fail(ApiFailureKind.NotFound, $"store '{name}' does not exist");

    private static string? Str(JsonObject o, string name) =>
        o[name] switch
        {
            null when !o.ContainsKey(name) => null,
            JsonValue v when v.TryGetValue(out string? s) => s,
            _ => throw new RequestInvalidException($"'{name}' must be a string"),
        };

    private static int? Int(JsonObject o, string name) =>
        o[name] switch
        {
            null when !o.ContainsKey(name) => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out int i) => i,
            _ => throw new RequestInvalidException($"'{name}' must be an integer"),
        };

    private static bool? Bool(JsonObject o, string name) =>
        o[name] switch
        {
            null when !o.ContainsKey(name) => null,
            JsonValue v when v.TryGetValue(out bool b) => b,
            _ => throw new RequestInvalidException($"'{name}' must be true or false"),
        };
}
