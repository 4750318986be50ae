namespace Sop.Grains.Abstractions.Data;

/// <summary>Store administration (create, list, inspect, delete); a stateless worker on whichever silo got the call.</summary>
[Alias("sop.IStoreGrain")]
public interface IStoreGrain : IGrainWithIntegerKey
{
    /// <summary>Creates a store from the contract's JSON body; the reply is the store info.</summary>
    [Alias("create")]
    Task<ApiReply> Create(string requestJson);

    /// <summary>Every user store with its count, as a JSON array.</summary>
    [Alias("list")]
    Task<ApiReply> List();

    /// <summary>One store's info.</summary>
    [Alias("get")]
    Task<ApiReply> Get(string name);

    /// <summary>Deletes a store and its items.</summary>
    [Alias("delete")]
    Task<ApiReply> Delete(string name);
}
