using System.Net;

namespace Sop.Cli.Api;

/// <summary>The API answered with an error status; <see cref="Detail"/> is the problem-details text to show.</summary>
public sealed class SopApiException(HttpStatusCode status, string detail) : Exception($"{(int)status} {detail}")
{
    /// <summary>The HTTP status.</summary>
    public HttpStatusCode Status { get; } = status;

    /// <summary>The problem details' <c>detail</c> (or the body, or the status text).</summary>
    public string Detail { get; } = detail;
}
