using Sop.Compute.Errors;
using Sop.Compute.Tests.Support;

namespace Sop.Compute.Tests;

/// <summary>Scripts cannot escape the sandbox, and every limit ends a script with a clear step error.</summary>
public sealed class ScriptSandboxTests : IAsyncLifetime
{
    private ComputeFixture _f = null!;

    public async Task InitializeAsync() => _f = await ComputeFixture.StartAsync(o =>
    {
        o.ScriptTimeout = TimeSpan.FromSeconds(1);
        o.ScriptMaxStatements = 100_000;
        o.ScriptMemoryBytes = 8 << 20;
        o.ScriptRecursionDepth = 32;
    });

    public async Task DisposeAsync() => await _f.DisposeAsync();

    private async Task<MacroStepException> FailsAsync(string code)
    {
        string name = "s" + Guid.NewGuid().ToString("N")[..8];
        await _f.Compute.Macros.PutAsync(ComputeFixture.Macro($$"""{"name":"{{name}}","steps":[{"kind":"script","code":{{System.Text.Json.JsonSerializer.Serialize(code)}}}]}"""));
        return await Assert.ThrowsAsync<MacroStepException>(() => _f.Compute.Runner.RunAsync(name, null));
    }

    private async Task<string> ResultAsync(string code)
    {
        string name = "r" + Guid.NewGuid().ToString("N")[..8];
        await _f.Compute.Macros.PutAsync(ComputeFixture.Macro($$"""{"name":"{{name}}","steps":[{"kind":"script","code":{{System.Text.Json.JsonSerializer.Serialize(code)}}}]}"""));
        return (await _f.Compute.Runner.RunAsync(name, null)).Result?.ToJsonString() ?? "null";
    }

    [Fact]
    public async Task InfiniteLoop_HitsTheStatementLimit() =>
        Assert.Contains("statement limit", (await FailsAsync("while (true) {}")).Message);

    [Fact]
    public async Task LongSleeplessWork_WithoutStatements_HitsTheTimeLimitOrStatements()
    {
        var error = await FailsAsync("let s = ''; for (;;) { s = s + 'x'; if (s.length > 1e9) break; }");
        Assert.Matches("(statement|memory|time) limit", error.Message);
    }

    [Fact]
    public async Task HugeAllocation_HitsTheMemoryLimit() =>
        Assert.Contains("memory limit", (await FailsAsync("const a = []; for (let i = 0; i < 10000000; i++) a.push({i: i, s: 'xxxxxxxxxxxxxxxx' + i}); return a.length;")).Message);

    [Fact]
    public async Task DeepRecursion_HitsTheRecursionLimit() =>
        Assert.Contains("recursion limit", (await FailsAsync("function f(n) { return f(n + 1) + 1; } return f(0);")).Message);

    [Theory]
    [InlineData("return eval('1 + 1');")]
    [InlineData("return new Function('return 1')();")]
    [InlineData("return tx.get.constructor('return this')();")]
    [InlineData("return System.IO.File.ReadAllText('/etc/passwd');")]
    [InlineData("return importNamespace('System').Environment.Exit(1);")]
    [InlineData("return require('fs');")]
    public async Task HostAccessAttempts_FailAsStepErrors(string code) =>
        Assert.Equal(0, (await FailsAsync(code)).StepIndex);

    [Fact]
    public async Task HostGlobals_AreUndefined() =>
        Assert.Equal("\"undefined,undefined,undefined,undefined\"",
            await ResultAsync("return [typeof System, typeof importNamespace, typeof require, typeof clr].join(',');"));

    [Fact]
    public async Task AfterAScriptHitALimit_TheSwarmStillRunsScripts()
    {
        await FailsAsync("while (true) {}");
        Assert.Equal("42", await ResultAsync("return 6 * 7;"));
    }

    [Fact]
    public async Task ThrownErrors_AreReportedWithTheirMessage() =>
        Assert.Contains("insufficient funds", (await FailsAsync("throw new Error('insufficient funds');")).Message);
}
