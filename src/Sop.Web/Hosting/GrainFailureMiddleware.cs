using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Sop.Web.Hosting;

/// <summary>
/// A grain call that cannot be served now (no silo reachable, a silo died mid-call, a timeout) is a 503 problem, never
/// a 500: a write answered 503 may or may not have committed (rest-api.md, Faults). Nothing of the exception leaks.
/// </summary>
internal sealed partial class GrainFailureMiddleware(RequestDelegate next, ILogger<GrainFailureMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or OperationCanceledException && !context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
        {
            LogUnavailable(e.GetType().Name, e.Message);
            await Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service Unavailable",
                detail: "the cluster could not serve this request now; retry it (a write answered 503 may or may not have committed)").ExecuteAsync(context);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "grain call failed with {Type}: {Message}")]
    private partial void LogUnavailable(string type, string message);
}
