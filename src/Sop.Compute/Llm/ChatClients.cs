using System.ClientModel;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Sop.Compute.Llm;

/// <summary>Builds the configured LLM client (Microsoft.Extensions.AI over the OpenAI client, any compatible server).</summary>
public static class ChatClients
{
    /// <summary>The client for <paramref name="options"/>, or null when no LLM is configured.</summary>
    public static IChatClient? Create(SopLlmOptions options)
    {
        if (!options.IsConfigured) return null;
        var client = new OpenAI.Chat.ChatClient(options.Model!, new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? "none" : options.ApiKey),
            new OpenAIClientOptions { Endpoint = new Uri(options.Endpoint!) });
        return client.AsIChatClient();
    }
}
