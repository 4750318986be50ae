namespace Sop.Web.Hosting;

/// <summary>HTTP API settings (configuration section <c>Sop</c>: <c>Sop:ApiKey</c>, <c>Sop:MaxRequestBytes</c>).</summary>
public sealed class SopApiOptions
{
    /// <summary>When set, every <c>/api/*</c> call needs the header <c>X-Api-Key</c> with this value (401 otherwise).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Largest request body (413 beyond it); any value that fits is stored.</summary>
    public long MaxRequestBytes { get; set; } = 16L << 20;

    /// <summary>How long a request may wait for its grain call before it is answered 503.</summary>
    public TimeSpan GrainCallTimeout { get; set; } = TimeSpan.FromSeconds(25);
}
