using System.Net;
using System.Text;

namespace Sop.Cli.Tests;

/// <summary>
/// Stands in for the server in the CLI's unit tests: records each request (method, path and query as sent, body,
/// API key) and answers from a queue of canned responses. The end-to-end tests against the real API live beside the
/// web tests.
/// </summary>
public sealed class RecordingHandler : HttpMessageHandler
{
    private readonly Queue<(HttpStatusCode Status, string Body)> _answers = new();

    public List<(string Method, string Target, string? Body, string? ApiKey)> Requests { get; } = [];

    public RecordingHandler Answer(HttpStatusCode status, string body)
    {
        _answers.Enqueue((status, body));
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string? body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        string? key = request.Headers.TryGetValues("X-Api-Key", out var values) ? values.Single() : null;
        Requests.Add((request.Method.Method, request.RequestUri!.PathAndQuery, body, key));
        var (status, text) = _answers.Count > 0 ? _answers.Dequeue() : (HttpStatusCode.InternalServerError, "no answer scripted");
        string media = (int)status >= 400 ? "application/problem+json" : "application/json";
        return new HttpResponseMessage(status) { Content = new StringContent(text, Encoding.UTF8, media) };
    }
}
