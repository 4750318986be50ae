using System.Text.Json.Nodes;
using Sop.Compute.Errors;
using Sop.Compute.Tests.Support;

namespace Sop.Compute.Tests;

/// <summary>Each step kind, templating, scopes, calls and the LLM step.</summary>
public sealed class MacroRunnerTests : IAsyncLifetime
{
    private ComputeFixture _f = null!;

    public async Task InitializeAsync()
    {
        _f = await ComputeFixture.StartAsync();
        await _f.CreateStoreAsync("accounts");
    }

    public async Task DisposeAsync() => await _f.DisposeAsync();

    private async Task PutMacroAsync(string json, Sop.Compute.SopCompute? on = null) =>
        await (on ?? _f.Compute).Macros.PutAsync(ComputeFixture.Macro(json));

    [Fact]
    public async Task Script_UsesArgsVarsAndTx_AndItsReturnIsTheResult()
    {
        await _f.PutAsync("accounts", "alice", """{"balance":10}""");
        await _f.PutAsync("accounts", "bob", """{"balance":1}""");
        await PutMacroAsync("""
            {"name":"transfer","parameters":[{"name":"from","type":"string","required":true},{"name":"to","type":"string","required":true},{"name":"amount","type":"number","required":true}],
             "steps":[{"kind":"script","code":"const a = tx.get('accounts', args.from); const b = tx.get('accounts', args.to); if (a.balance < args.amount) throw new Error('insufficient funds'); tx.put('accounts', args.from, {balance: a.balance - args.amount}); tx.put('accounts', args.to, {balance: b.balance + args.amount}); vars.moved = args.amount; return {ok: true};"},
                      {"kind":"script","code":"return {moved: vars.moved, added: tx.add('accounts', 'carol', {balance: 0}), again: tx.add('accounts', 'carol', {}), removed: tx.remove('accounts', 'nobody'), n: tx.range('accounts', 'a', 'c', 10).length};"}]}
            """);
        var run = await _f.Compute.Runner.RunAsync("transfer", ComputeFixture.Args("""{"from":"alice","to":"bob","amount":3}"""));
        Assert.True(run.Committed);
        Assert.Equal("""{"moved":3,"added":true,"again":false,"removed":false,"n":2}""", run.Result!.ToJsonString());
        Assert.Equal("""{"balance":7}""", await _f.GetAsync("accounts", "alice"));
        Assert.Equal("""{"balance":4}""", await _f.GetAsync("accounts", "bob"));
        Assert.Equal("""{"balance":0}""", await _f.GetAsync("accounts", "carol"));
    }

    [Fact]
    public async Task DataSteps_WithTemplates_GetPutRemoveRange()
    {
        await PutMacroAsync("""
            {"name":"data","steps":[
              {"kind":"put","store":"accounts","key":"{{args.who}}","value":{"balance":"{{args.amount}}","note":"for {{args.who}}"}},
              {"kind":"get","store":"accounts","key":"{{args.who}}","into":"read"},
              {"kind":"put","store":"accounts","key":"copy-{{vars.read.note}}","value":"{{vars.read}}"},
              {"kind":"range","store":"accounts","from":"copy","to":"copz","into":"copies"},
              {"kind":"remove","store":"accounts","key":"{{args.who}}"}]}
            """);
        var run = await _f.Compute.Runner.RunAsync("data", ComputeFixture.Args("""{"who":"dora","amount":5}"""));
        Assert.Equal("true", run.Result!.ToJsonString()); // remove's result
        Assert.Null(await _f.GetAsync("accounts", "dora"));
        // a whole-string placeholder keeps the JSON type (5 stays a number); inside text it is spliced in
        Assert.Equal("""{"balance":5,"note":"for dora"}""", await _f.GetAsync("accounts", "copy-for dora"));
    }

    [Fact]
    public async Task PutStep_ResultIsTheStoredValue()
    {
        await PutMacroAsync("""{"name":"p","steps":[{"kind":"put","store":"accounts","key":"k","value":{"a":[1,2]}}]}""");
        var run = await _f.Compute.Runner.RunAsync("p", null);
        Assert.Equal("""{"a":[1,2]}""", run.Result!.ToJsonString());
    }

    [Theory]
    [InlineData("single", false)]
    [InlineData("perStep", true)]
    public async Task SecondStepThrows_SingleLeavesNothing_PerStepKeepsTheFirst(string scope, bool firstVisible)
    {
        await PutMacroAsync($$"""
            {"name":"twostep","transactionScope":"{{scope}}","steps":[
              {"kind":"put","store":"accounts","key":"first","value":1},
              {"kind":"script","code":"throw new Error('boom');"}]}
            """);
        var error = await Assert.ThrowsAsync<MacroStepException>(() => _f.Compute.Runner.RunAsync("twostep", null));
        Assert.Equal(1, error.StepIndex);
        Assert.Contains("boom", error.Message);
        Assert.Equal(firstVisible, await _f.GetAsync("accounts", "first") is not null);
    }

    [Fact]
    public async Task Call_JoinsTheCallersTransaction_AndIsBoundedInDepth()
    {
        await PutMacroAsync("""{"name":"inner","parameters":[{"name":"k","type":"string","required":true}],"steps":[{"kind":"put","store":"accounts","key":"{{args.k}}","value":"inner"}]}""");
        await PutMacroAsync("""
            {"name":"outer","steps":[
              {"kind":"call","macro":"inner","args":{"k":"from-call"},"into":"r"},
              {"kind":"script","code":"const r = call('inner', {k: 'from-script'}); if (args.fail) throw new Error('after calls'); return r;"}]}
            """);
        await Assert.ThrowsAsync<MacroStepException>(() => _f.Compute.Runner.RunAsync("outer", ComputeFixture.Args("""{"fail":true}""")));
        Assert.Null(await _f.GetAsync("accounts", "from-call")); // the call's write was part of the rolled-back transaction
        var run = await _f.Compute.Runner.RunAsync("outer", null);
        Assert.Equal("\"inner\"", run.Result!.ToJsonString());
        Assert.Equal("\"inner\"", await _f.GetAsync("accounts", "from-script"));

        await PutMacroAsync("""{"name":"bomb","steps":[{"kind":"call","macro":"bomb"}]}""");
        var error = await Assert.ThrowsAsync<MacroStepException>(() => _f.Compute.Runner.RunAsync("bomb", null));
        Assert.Contains("deeper than the limit", error.Message);
    }

    [Fact]
    public async Task Arguments_AreCheckedAgainstParameters()
    {
        await PutMacroAsync("""{"name":"typed","parameters":[{"name":"n","type":"number","required":true},{"name":"o","type":"object"}],"steps":[{"kind":"script","code":"return args.n;"}]}""");
        await Assert.ThrowsAsync<InvalidMacroArgumentsException>(() => _f.Compute.Runner.RunAsync("typed", null));
        await Assert.ThrowsAsync<InvalidMacroArgumentsException>(() => _f.Compute.Runner.RunAsync("typed", ComputeFixture.Args("""{"n":"1"}""")));
        await Assert.ThrowsAsync<InvalidMacroArgumentsException>(() => _f.Compute.Runner.RunAsync("typed", ComputeFixture.Args("""{"n":1,"o":[]}""")));
        Assert.Equal("2", (await _f.Compute.Runner.RunAsync("typed", ComputeFixture.Args("""{"n":2}"""))).Result!.ToJsonString());
        await Assert.ThrowsAsync<MacroNotFoundException>(() => _f.Compute.Runner.RunAsync("nope", null));
    }

    [Fact]
    public async Task SystemStores_AreOutOfReach()
    {
        await PutMacroAsync("""{"name":"peek","steps":[{"kind":"script","code":"return tx.get('.macros', 'peek');"}]}""");
        var error = await Assert.ThrowsAsync<MacroStepException>(() => _f.Compute.Runner.RunAsync("peek", null));
        Assert.Contains("not a valid store name", error.Message);
    }

    [Fact]
    public async Task MissingStore_IsAStepError()
    {
        await PutMacroAsync("""{"name":"missing","steps":[{"kind":"get","store":"nostore","key":"k"}]}""");
        var error = await Assert.ThrowsAsync<MacroStepException>(() => _f.Compute.Runner.RunAsync("missing", null));
        Assert.Equal(0, error.StepIndex);
    }

    [Fact]
    public async Task Ask_WithoutAnLlm_IsAClearStepError()
    {
        await PutMacroAsync("""{"name":"asker","steps":[{"kind":"ask","prompt":"hi","into":"a"}]}""");
        var error = await Assert.ThrowsAsync<MacroStepException>(() => _f.Compute.Runner.RunAsync("asker", null));
        Assert.Contains("no LLM configured", error.Message);
    }

    [Fact]
    public async Task Ask_UsesTheChatClient_WithTemplates_AndScriptsCanAskToo()
    {
        var chat = ScriptedChatClient.Answering("blue", "green");
        var compute = _f.Another(chat);
        await PutMacroAsync("""
            {"name":"colour","steps":[
              {"kind":"ask","prompt":"favourite colour of {{args.who}}?","into":"c"},
              {"kind":"script","code":"return vars.c + '/' + ask('second opinion on ' + vars.c);"}]}
            """, compute);
        var run = await compute.Runner.RunAsync("colour", ComputeFixture.Args("""{"who":"ann"}"""));
        Assert.Equal("\"blue/green\"", run.Result!.ToJsonString());
        Assert.Equal(["favourite colour of ann?", "second opinion on blue"], chat.Prompts);
    }

    [Fact]
    public async Task Ask_ThatFails_IsAStepError_NotACrash()
    {
        var compute = _f.Another(ScriptedChatClient.Failing("connection refused"));
        await PutMacroAsync("""{"name":"broken","steps":[{"kind":"ask","prompt":"x"}]}""", compute);
        var error = await Assert.ThrowsAsync<MacroStepException>(() => compute.Runner.RunAsync("broken", null));
        Assert.Contains("connection refused", error.Message);
    }
}
