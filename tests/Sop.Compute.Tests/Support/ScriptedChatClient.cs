using Microsoft.Extensions.AI;

namespace Sop.Compute.Tests.Support;

/// <summary>
/// A fake LLM: answers each request with the next scripted response (text, or tool calls), records what it was asked
/// and which tools it was offered. Thread-safe.
/// </summary>
public sealed class ScriptedChatClient(params Func<IReadOnlyList<ChatMessage>, ChatOptions?, ChatResponse>[] script) : IChatClient
{
    private readonly object _gate = new();
    private int _next;

    public List<string> Prompts { get; } = [];

    public List<IReadOnlyList<string>> OfferedTools { get; } = [];

    public int Calls { get; private set; }

    public static ScriptedChatClient Answering(params string[] answers) =>
        new(answers.Select(a => (Func<IReadOnlyList<ChatMessage>, ChatOptions?, ChatResponse>)((_, _) => new ChatResponse(new ChatMessage(ChatRole.Assistant, a)))).ToArray());

    public static ScriptedChatClient Failing(string message) =>
        new((_, _) => throw new HttpRequestException(message));

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        Func<IReadOnlyList<ChatMessage>, ChatOptions?, ChatResponse> step;
        lock (_gate)
        {
            Calls++;
            Prompts.Add(list.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? "");
            OfferedTools.Add((options?.Tools ?? []).Select(t => t.Name).ToList());
            step = script[Math.Min(_next++, script.Length - 1)];
        }
        return Task.FromResult(step(list, options));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var update in (await GetResponseAsync(messages, options, cancellationToken)).ToChatResponseUpdates()) yield return update;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
