using Microsoft.Extensions.Hosting;
using Orleans.Dashboard;
using Sop.Silo;
using Sop.Web.Hosting;

// Standalone (default): `dotnet run --project silo/Sop.Silo` serves the HTTP API on http://localhost:5080 over a local
// data folder (Sop:DataPath, default ./data). Clustered: Sop:Redis set (env SOP__REDIS); HTTP only with SOP__WEB=true.
var settings = SiloSettings.From(new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build());

if (settings.Web)
{
    var builder = WebApplication.CreateBuilder(args);
    // ASPNETCORE_URLS and --urls both arrive as "urls"; without either the contract's default address
    if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls("http://localhost:5080");
    var webSettings = SiloSettings.From(builder.Configuration);
    SiloSetup.Configure(builder, webSettings);
    builder.Services.AddSopApi(builder.Configuration);
    var app = builder.Build();
    app.MapSopApi();
    if (webSettings.Dashboard) app.MapOrleansDashboard("/dashboard");
    if (SiloTelemetry.PrometheusEnabled(builder.Configuration)) app.MapPrometheusScrapingEndpoint();
    await app.RunAsync();
}
else if (settings.ServesDashboard)
{
    // a headless silo with Sop:DashboardPort: no API, only the dashboard (and /metrics) on that port
    var builder = WebApplication.CreateBuilder(args);
    builder.WebHost.UseUrls($"http://0.0.0.0:{settings.DashboardPort}");
    SiloSetup.Configure(builder, settings);
    var app = builder.Build();
    app.MapOrleansDashboard("/dashboard");
    if (SiloTelemetry.PrometheusEnabled(builder.Configuration)) app.MapPrometheusScrapingEndpoint();
    await app.RunAsync();
}
else
{
    var builder = Host.CreateApplicationBuilder(args);
    SiloSetup.Configure(builder, SiloSettings.From(builder.Configuration));
    await builder.Build().RunAsync();
}

/// <summary>The silo's entry point (public for in-process test hosts).</summary>
public partial class Program;
