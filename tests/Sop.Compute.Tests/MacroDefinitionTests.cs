using System.Text.Json;
using Sop.Compute.Errors;
using Sop.Compute.Macros;
using Sop.Compute.Tests.Support;

namespace Sop.Compute.Tests;

/// <summary>The macro model: JSON form, validation at PUT, storage in the database.</summary>
public sealed class MacroDefinitionTests : IAsyncLifetime
{
    private ComputeFixture _f = null!;

    public async Task InitializeAsync() => _f = await ComputeFixture.StartAsync();

    public async Task DisposeAsync() => await _f.DisposeAsync();

    [Fact]
    public async Task Put_NewThenReplaced_ReportsCreatedOnce_AndRoundTrips()
    {
        var macro = ComputeFixture.Macro("""
            {"name":"m1","description":"d","transactionScope":"perStep",
             "parameters":[{"name":"from","type":"string","required":true,"description":"who"}],
             "steps":[{"kind":"get","store":"s","key":"{{args.from}}","into":"v"}]}
            """);
        Assert.True(await _f.Compute.Macros.PutAsync(macro));
        Assert.False(await _f.Compute.Macros.PutAsync(macro with { Description = "d2" }));
        var read = await _f.Compute.Macros.GetAsync("m1");
        Assert.NotNull(read);
        Assert.Equal("d2", read.Description);
        Assert.Equal(TransactionScope.PerStep, read.TransactionScope);
        Assert.Equal(ParameterType.String, read.Parameters[0].Type);
        Assert.True(read.Parameters[0].Required);
        Assert.Equal(["m1"], (await _f.Compute.Macros.ListAsync()).Select(m => m.Name));
        Assert.True(await _f.Compute.Macros.DeleteAsync("m1"));
        Assert.False(await _f.Compute.Macros.DeleteAsync("m1"));
        Assert.Null(await _f.Compute.Macros.GetAsync("m1"));
    }

    [Fact]
    public async Task AMacroPutThroughOneSwarm_IsSeenAtOnceByAnother()
    {
        var other = _f.Another();
        await _f.Compute.Macros.PutAsync(ComputeFixture.Macro("""{"name":"shared","steps":[{"kind":"script","code":"return 1;"}]}"""));
        Assert.NotNull(await other.Macros.GetAsync("shared"));
        Assert.Single(await other.Tools.DescribeAsync());
    }

    [Theory]
    [InlineData("""{"name":"bad name","steps":[{"kind":"script","code":"return 1"}]}""", "not a valid macro name")]
    [InlineData("""{"name":"","steps":[{"kind":"script","code":"return 1"}]}""", "not a valid macro name")]
    [InlineData("""{"name":"a","steps":[]}""", "at least one step")]
    [InlineData("""{"name":"a","steps":[{"kind":"script","code":"return ("}]}""", "does not parse")]
    [InlineData("""{"name":"a","steps":[{"kind":"get","store":"s"}]}""", "needs 'key'")]
    [InlineData("""{"name":"a","steps":[{"kind":"call"}]}""", "needs 'macro'")]
    [InlineData("""{"name":"a","steps":[{"kind":"ask"}]}""", "needs 'prompt'")]
    [InlineData("""{"name":"a","parameters":[{"name":"x"},{"name":"x"}],"steps":[{"kind":"script","code":"return 1"}]}""", "declared twice")]
    public async Task InvalidMacros_AreRejectedWithAClearMessage(string json, string expected)
    {
        var error = await Assert.ThrowsAsync<InvalidMacroException>(() => _f.Compute.Macros.PutAsync(ComputeFixture.Macro(json)));
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("""{"name":"a","transactionScope":1,"steps":[]}""")]
    [InlineData("""{"name":"a","steps":[{"kind":"teleport"}]}""")]
    [InlineData("""{"name":"a","steps":[{"kind":0,"code":"return 1"}]}""")]
    public void IntegerOrUnknownEnums_DoNotDeserialize(string json) =>
        Assert.ThrowsAny<JsonException>(() => ComputeFixture.Macro(json));
}
