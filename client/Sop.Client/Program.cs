using Orleans.Configuration;
using Sop.Web.Hosting;
using StackExchange.Redis;

// The web frontend of a clustered deployment: an Orleans client that finds the silos through Redis (Sop:Redis, env
// SOP__REDIS) and serves the HTTP API at ASPNETCORE_URLS (default http://localhost:5080). Without Sop:Redis it talks
// to a standalone silo's gateway on localhost (Sop:GatewayPort, default 30000).
var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls("http://localhost:5080");
builder.Logging.AddFilter("Orleans", LogLevel.Warning);
string? redis = builder.Configuration["Sop:Redis"];
string clusterId = builder.Configuration["Sop:ClusterId"] is { Length: > 0 } id ? id : "sop";
builder.UseOrleansClient(client =>
{
    client.Configure<ClusterOptions>(o =>
    {
        o.ClusterId = clusterId;
        o.ServiceId = clusterId;
    });
    if (!string.IsNullOrWhiteSpace(redis)) client.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redis));
    else client.UseLocalhostClustering(builder.Configuration.GetValue("Sop:GatewayPort", 30000), serviceId: clusterId, clusterId: clusterId);
});
builder.Services.AddSopApi(builder.Configuration);
var app = builder.Build();
app.MapSopApi();
await app.RunAsync();
