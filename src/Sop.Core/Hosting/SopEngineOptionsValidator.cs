using Microsoft.Extensions.Options;

namespace Sop.Hosting;

/// <summary>Checks <see cref="SopEngineOptions"/>; each message names the bad property.</summary>
public sealed class SopEngineOptionsValidator : IValidateOptions<SopEngineOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SopEngineOptions o)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.DataPath)) errors.Add($"{nameof(o.DataPath)} must name a folder");
        if (o.FileSystem is null) errors.Add($"{nameof(o.FileSystem)} is required");
        if (o.L1MaxNodes < 16) errors.Add($"{nameof(o.L1MaxNodes)} must be at least 16 (was {o.L1MaxNodes})");
        if (o.L1MaxBytes < 1 << 20) errors.Add($"{nameof(o.L1MaxBytes)} must be at least 1 MiB (was {o.L1MaxBytes})");
        if (o.InlineValueMaxBytes is < 0 or > 1 << 20) errors.Add($"{nameof(o.InlineValueMaxBytes)} must be within 0..1048576 (was {o.InlineValueMaxBytes})");
        if (o.TransactionMaxTime <= TimeSpan.Zero) errors.Add($"{nameof(o.TransactionMaxTime)} must be positive");
        if (o.CheckpointLogBytes < 1 << 16) errors.Add($"{nameof(o.CheckpointLogBytes)} must be at least 64 KiB");
        if (o.CommitRecordImagesMaxBytes < 0) errors.Add($"{nameof(o.CommitRecordImagesMaxBytes)} must not be negative");
        if (o.L2Cache is null) errors.Add($"{nameof(o.L2Cache)} is required (use NullL2Cache for none)");
        if (o.RecoveryInterval <= TimeSpan.Zero) errors.Add($"{nameof(o.RecoveryInterval)} must be positive");
        if (o.OrphanSweepInterval <= TimeSpan.Zero) errors.Add($"{nameof(o.OrphanSweepInterval)} must be positive");
        if (o.Time is null) errors.Add($"{nameof(o.Time)} is required");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
