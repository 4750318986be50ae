using Microsoft.Extensions.Options;

namespace Sop.Redis.Options;

/// <summary>Checks <see cref="SopRedisOptions"/>; each message names the bad property.</summary>
public sealed class SopRedisOptionsValidator : IValidateOptions<SopRedisOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SopRedisOptions o)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.Configuration)) errors.Add($"{nameof(o.Configuration)} must name a Redis server (e.g. 127.0.0.1:6379)");
        else
        {
            try
            {
                StackExchange.Redis.ConfigurationOptions.Parse(o.Configuration);
            }
            catch (ArgumentException e)
            {
                errors.Add($"{nameof(o.Configuration)} is not a valid Redis configuration: {e.Message}");
            }
        }
        if (string.IsNullOrWhiteSpace(o.KeyPrefix) || o.KeyPrefix.Contains('{') || o.KeyPrefix.Contains('}'))
            errors.Add($"{nameof(o.KeyPrefix)} must be non-empty and without braces");
        if (o.LockLifetime < TimeSpan.FromMilliseconds(200)) errors.Add($"{nameof(o.LockLifetime)} must be at least 200 ms");
        if (o.TokenTimeToLive < TimeSpan.FromSeconds(10)) errors.Add($"{nameof(o.TokenTimeToLive)} must be at least 10 s");
        if (o.TokenRefreshInterval <= TimeSpan.Zero || o.TokenRefreshInterval * 2 > o.TokenTimeToLive)
            errors.Add($"{nameof(o.TokenRefreshInterval)} must be positive and at most half of {nameof(o.TokenTimeToLive)}");
        if (o.RetryAttempts is < 0 or > 20) errors.Add($"{nameof(o.RetryAttempts)} must be within 0..20");
        if (o.RetryBaseDelay <= TimeSpan.Zero) errors.Add($"{nameof(o.RetryBaseDelay)} must be positive");
        if (o.OperationTimeout < TimeSpan.FromMilliseconds(100)) errors.Add($"{nameof(o.OperationTimeout)} must be at least 100 ms");
        if (o.FeedLength is < 100 or > 10_000_000) errors.Add($"{nameof(o.FeedLength)} must be within 100..10000000");
        if (o.LeaseRenewInterval is { } renew && (renew <= TimeSpan.Zero || renew * 2 > o.LockLifetime))
            errors.Add($"{nameof(o.LeaseRenewInterval)} must be positive and at most half of {nameof(o.LockLifetime)}");
        if (o.NodeCacheTimeToLive <= TimeSpan.Zero) errors.Add($"{nameof(o.NodeCacheTimeToLive)} must be positive");
        if (o.NodeCacheOutageBackoff < TimeSpan.Zero) errors.Add($"{nameof(o.NodeCacheOutageBackoff)} must not be negative");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
