using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Sop.Grains.Abstractions;

namespace Sop.Web.Hosting;

/// <summary>Grain replies and request problems as HTTP results: JSON bodies, RFC 7807 problem details for errors.</summary>
internal static class ApiResults
{
    public const int MaxDepth = 64;

    public static IResult Json(string json, int status = StatusCodes.Status200OK) => Results.Text(json, "application/json", statusCode: status);

    public static async Task<IResult> ReplyAsync(Task<ApiReply> call, int status = StatusCodes.Status200OK)
    {
        var reply = await call;
        return reply.Failure is null ? Json(reply.Json ?? "null", status) : Problem(reply.Failure);
    }

    public static IResult Problem(ApiFailure failure)
    {
        var (status, title) = failure.Kind switch
        {
            ApiFailureKind.Invalid => (StatusCodes.Status400BadRequest, "Bad Request"),
            ApiFailureKind.NotFound => (StatusCodes.Status404NotFound, "Not Found"),
            ApiFailureKind.Conflict => (StatusCodes.Status409Conflict, "Conflict"),
            ApiFailureKind.Unprocessable => (StatusCodes.Status422UnprocessableEntity, "Unprocessable Entity"),
            _ => (StatusCodes.Status503ServiceUnavailable, "Service Unavailable"),
        };
        var extensions = new Dictionary<string, object?>();
        if (failure.StepIndex is { } step) extensions["stepIndex"] = step;
        if (failure.OperationIndex is { } op) extensions["operationIndex"] = op;
        if (failure.Kind is ApiFailureKind.Conflict or ApiFailureKind.Unprocessable) extensions["committed"] = false;
        return Results.Problem(statusCode: status, title: title, detail: failure.Detail, extensions: extensions);
    }

    public static IResult Invalid(string detail) => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad Request", detail: detail);

    public static IResult NotFound(string detail) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: detail);

    /// <summary>
    /// Reads the body as one JSON value (null included) with the contract's depth limit; the problem is 415 for a
    /// body that is not <c>application/json</c> and 400 for malformed or too deep JSON.
    /// </summary>
    public static async Task<(JsonNode? Value, IResult? Problem)> ReadJsonAsync(HttpRequest request, bool allowEmpty = false)
    {
        if (!request.HasJsonContentType())
        {
            if (allowEmpty && request.ContentLength is null or 0 && !request.Headers.ContainsKey("Transfer-Encoding")) return (null, null);
            return (null, Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported Media Type",
                detail: "the body must be JSON with Content-Type: application/json"));
        }
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        if (buffer.Length == 0)
            return allowEmpty ? (null, null) : (null, Invalid("the body is empty; it must be a JSON value"));
        try
        {
            var reader = new Utf8JsonReader(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), new JsonReaderOptions { MaxDepth = MaxDepth });
            return (JsonNode.Parse(ref reader), null);
        }
        catch (JsonException e)
        {
            return (null, Invalid("malformed JSON (or nested deeper than 64 levels): " + e.Message));
        }
    }

    public static async Task<(JsonObject? Value, IResult? Problem)> ReadObjectAsync(HttpRequest request, bool allowEmpty = false)
    {
        var (value, problem) = await ReadJsonAsync(request, allowEmpty);
        if (problem is not null) return (null, problem);
        if (value is null && allowEmpty) return (null, null);
        return value is JsonObject o ? (o, null) : (null, Invalid("the body must be a JSON object"));
    }
}
