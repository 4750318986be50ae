using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Sop.Web.Hosting;

/// <summary>
/// Bodies larger than <see cref="SopApiOptions.MaxRequestBytes"/> get 413 problem details: at once when the length is
/// declared, and while reading for chunked bodies (the server's own limit is set to the same value).
/// </summary>
internal sealed class RequestLimitMiddleware(RequestDelegate next, IOptions<SopApiOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        long limit = options.Value.MaxRequestBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = limit;
        if (context.Request.ContentLength > limit)
        {
            // answered before the body is read: close the connection, so the client never reuses it mid-upload
            context.Response.Headers.Connection = "close";
            await TooLarge(limit).ExecuteAsync(context);
            return;
        }
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            await TooLarge(limit).ExecuteAsync(context);
        }
    }

    private static IResult TooLarge(long limit) =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload Too Large", detail: $"the request body is larger than {limit} bytes");
}
