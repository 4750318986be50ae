using System.Net;
using Microsoft.Extensions.Configuration;

namespace Sop.Silo;

/// <summary>
/// The silo's settings, from configuration (<c>Sop:*</c>, env <c>SOP__*</c>): clustered when <c>Sop:Redis</c> is set,
/// standalone otherwise (decisions.md 16, rest-api.md Process).
/// </summary>
public sealed record SiloSettings
{
    public string DataPath { get; init; } = "./data";

    public string? Redis { get; init; }

    public string ClusterId { get; init; } = "sop";

    public int SiloPort { get; init; } = 11111;

    public int GatewayPort { get; init; } = 30000;

    public IPAddress? AdvertisedIP { get; init; }

    /// <summary>Serve the HTTP API: always standalone; clustered only with <c>Sop:Web</c> = true or 1.</summary>
    public bool Web { get; init; }

    /// <summary>Serve the Orleans Dashboard at <c>/dashboard</c> beside the API (default on; <c>Sop:Dashboard=false</c> turns it off).</summary>
    public bool Dashboard { get; init; } = true;

    /// <summary>
    /// A port on which a silo that serves no HTTP API (clustered, <c>Sop:Web</c> off) serves the dashboard (and
    /// <c>/metrics</c> when Prometheus is on), listening on every address; null: such a silo serves no HTTP.
    /// </summary>
    public int? DashboardPort { get; init; }

    public bool Clustered => !string.IsNullOrWhiteSpace(Redis);

    /// <summary>
    /// Clustered silos on several hosts share the data folder over a network file system (<c>Sop:MultiHost</c> =
    /// true, decisions.md 17): commits then travel through Redis, so no host trusts its stale page cache.
    /// </summary>
    public bool MultiHost { get; init; }

    /// <summary>The dashboard runs where the silo serves HTTP: beside the API, or on its own port on a headless silo.</summary>
    public bool ServesDashboard => Dashboard && (Web || DashboardPort is not null);

    public static SiloSettings From(IConfiguration configuration)
    {
        var sop = configuration.GetSection("Sop");
        string? redis = sop["Redis"];
        bool clustered = !string.IsNullOrWhiteSpace(redis);
        return new SiloSettings
        {
            DataPath = sop["DataPath"] is { Length: > 0 } path ? path : "./data",
            Redis = clustered ? redis : null,
            ClusterId = sop["ClusterId"] is { Length: > 0 } id ? id : "sop",
            SiloPort = Port(sop, "SiloPort", 11111),
            GatewayPort = Port(sop, "GatewayPort", 30000),
            AdvertisedIP = sop["AdvertisedIP"] is { Length: > 0 } ip
                ? IPAddress.TryParse(ip, out var address) ? address : throw new InvalidOperationException($"Sop:AdvertisedIP '{ip}' is not an IP address")
                : null,
            Web = !clustered || IsTrue(sop["Web"]),
            Dashboard = sop["Dashboard"] is not { Length: > 0 } dashboard || IsTrue(dashboard),
            DashboardPort = sop["DashboardPort"] is { Length: > 0 } ? Port(sop, "DashboardPort", 0) : null,
            MultiHost = clustered && IsTrue(sop["MultiHost"]),
        };
    }

    /// <summary>True for "true" (any case) and "1" (decisions.md 21).</summary>
    public static bool IsTrue(string? value) => value is not null && (value.Trim() == "1" || value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase));

    private static int Port(IConfiguration section, string key, int fallback)
    {
        if (section[key] is not { Length: > 0 } text) return fallback;
        return int.TryParse(text, out int port) && port is > 0 and < 65536 ? port : throw new InvalidOperationException($"Sop:{key} '{text}' is not a port");
    }
}
