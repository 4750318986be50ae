using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Sop.Web.Hosting;

/// <summary>
/// When an API key is configured, every <c>/api/*</c> call must carry it in <c>X-Api-Key</c> (401 problem details
/// otherwise); <c>/health</c>, the UI's static files and the API docs stay open (decisions.md 26).
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<SopApiOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        string? expected = options.Value.ApiKey;
        if (!string.IsNullOrEmpty(expected) && context.Request.Path.StartsWithSegments("/api") && !Matches(context.Request.Headers["X-Api-Key"].ToString(), expected))
        {
            await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                detail: "this API needs the header X-Api-Key with the configured key").ExecuteAsync(context);
            return;
        }
        await next(context);
    }

    private static bool Matches(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
