namespace Sop.Compute.Llm;

/// <summary>
/// The LLM of ask steps and the planner (configuration section <c>Sop:Llm</c>, env <c>SOP__LLM__*</c>): any
/// OpenAI-compatible server (OpenAI, Ollama, llama.cpp, vLLM). None by default: then ask steps and goal-only tasks
/// fail with "no LLM configured" and everything else works offline.
/// </summary>
public sealed class SopLlmOptions
{
    /// <summary>The OpenAI-compatible base URL, e.g. <c>http://127.0.0.1:11434/v1</c>.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The model name.</summary>
    public string? Model { get; set; }

    /// <summary>The API key, when the server wants one.</summary>
    public string? ApiKey { get; set; }

    /// <summary>True when both endpoint and model are set.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Endpoint) && !string.IsNullOrWhiteSpace(Model);
}
