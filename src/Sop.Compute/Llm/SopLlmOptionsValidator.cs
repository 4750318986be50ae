using Microsoft.Extensions.Options;

namespace Sop.Compute.Llm;

/// <summary>Checks <see cref="SopLlmOptions"/>: nothing or a usable endpoint and model.</summary>
public sealed class SopLlmOptionsValidator : IValidateOptions<SopLlmOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SopLlmOptions o)
    {
        bool any = !string.IsNullOrWhiteSpace(o.Endpoint) || !string.IsNullOrWhiteSpace(o.Model);
        if (!any) return ValidateOptionsResult.Success;
        var errors = new List<string>();
        if (!Uri.TryCreate(o.Endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            errors.Add($"{nameof(o.Endpoint)} must be an absolute http(s) URL (was '{o.Endpoint}')");
        if (string.IsNullOrWhiteSpace(o.Model)) errors.Add($"{nameof(o.Model)} is required when {nameof(o.Endpoint)} is set");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
