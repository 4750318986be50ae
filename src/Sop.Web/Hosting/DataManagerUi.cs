using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;

namespace Sop.Web.Hosting;

/// <summary>
/// The Data Manager: plain HTML, CSS and JavaScript over the HTTP API, embedded in this assembly and served at
/// <c>/</c> (its assets under <c>/ui/</c>). It stays open when an API key guards <c>/api</c>; the page asks for the key.
/// </summary>
internal static class DataManagerUi
{
    public static void Map(WebApplication app)
    {
        var files = new EmbeddedFileProvider(typeof(DataManagerUi).Assembly, "Sop.Web.wwwroot");
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files, RequestPath = "/ui" });
        app.MapGet("/", () =>
        {
            var index = files.GetFileInfo("index.html");
            return Results.Stream(index.CreateReadStream(), "text/html; charset=utf-8");
        }).ExcludeFromDescription();
    }
}
