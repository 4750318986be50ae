using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Sop.Web.Data;

/// <summary>
/// The item key of <c>/api/stores/{store}/items/{key}</c>, taken from the raw request target and percent-decoded
/// exactly once (decisions.md 20): <c>a%2Fb</c> is the key <c>a/b</c>, and <c>%2541</c> is <c>%41</c>, not <c>A</c>.
/// </summary>
internal static class KeyFromPath
{
    public static string? Read(HttpContext context)
    {
        string raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.ToString();
        int query = raw.IndexOf('?');
        if (query >= 0) raw = raw[..query];
        // the path after the host: "", "api", "stores", store, "items", key
        string[] segments = raw.Split('/');
        if (segments.Length != 6 || segments[4] != "items") return null;
        try
        {
            return Uri.UnescapeDataString(segments[5]);
        }
        catch (UriFormatException)
        {
            return null;
        }
    }
}
