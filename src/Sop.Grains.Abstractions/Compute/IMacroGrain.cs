namespace Sop.Grains.Abstractions.Compute;

/// <summary>Macros (logic stored as data): stateless workers, so any silo serves any call in-flight.</summary>
[Alias("sop.IMacroGrain")]
public interface IMacroGrain : IGrainWithIntegerKey
{
    /// <summary>Stores a macro given as the contract's JSON body; <see cref="ApiReply.Created"/> tells new from replaced.</summary>
    [Alias("put")]
    Task<ApiReply> Put(string name, string definitionJson);

    /// <summary>One macro as JSON.</summary>
    [Alias("get")]
    Task<ApiReply> Get(string name);

    /// <summary>Every macro (name, description, parameters) as a JSON array.</summary>
    [Alias("list")]
    Task<ApiReply> List();

    /// <summary>Deletes a macro (NotFound when there was none).</summary>
    [Alias("delete")]
    Task<ApiReply> Delete(string name);

    /// <summary>Runs a macro with the JSON object of arguments; the reply is <c>{"result":...,"committed":true}</c>.</summary>
    [Alias("run")]
    Task<ApiReply> Run(string name, string argsJson);
}
