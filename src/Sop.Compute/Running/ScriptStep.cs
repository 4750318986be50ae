using System.Text.Json.Nodes;
using Jint;
using Jint.Native;
using Jint.Runtime;
using Jint.Runtime.Interop;

namespace Sop.Compute.Running;

/// <summary>
/// Runs one script step: globals <c>args</c>, <c>vars</c> (written back after the step), <c>tx.get/put/add/remove/range</c>
/// on the step's transaction, <c>ask(prompt)</c> and <c>call(macro, args)</c>. Only plain functions and JSON values
/// cross into the sandbox, never a host object.
/// </summary>
internal static class ScriptStep
{
    public static JsonNode? Run(ScriptSandbox sandbox, string code, ItemAccess items, RunState state, Func<string, string> ask, Func<string, JsonObject, JsonNode?> call)
    {
        var prepared = sandbox.Prepare(code);
        var engine = sandbox.NewEngine(state.CancellationToken);
        engine.SetValue("args", JsBridge.ToJs(engine, state.Args));
        engine.SetValue("vars", JsBridge.ToJs(engine, state.Vars));
        engine.SetValue("tx", TxObject(engine, items));
        engine.SetValue("ask", new ClrFunction(engine, "ask", (_, a) => ask(JsBridge.RequiredString(a.At(0), "ask's prompt"))));
        engine.SetValue("call", new ClrFunction(engine, "call", (_, a) =>
        {
            string macro = JsBridge.RequiredString(a.At(0), "call's macro name");
            var callArgs = JsBridge.FromJs(engine, a.At(1)) as JsonObject ?? [];
            return JsBridge.ToJs(engine, call(macro, callArgs));
        }));
        var result = engine.Evaluate(prepared);
        state.Vars = JsBridge.FromJs(engine, engine.GetValue("vars")) as JsonObject ?? [];
        return JsBridge.FromJs(engine, result);
    }

    private static JsObject TxObject(Engine engine, ItemAccess items)
    {
        var tx = new JsObject(engine);
        tx.Set("get", new ClrFunction(engine, "get", (_, a) =>
            JsBridge.ToJs(engine, items.Get(Store(a), Key(a)))));
        tx.Set("put", new ClrFunction(engine, "put", (_, a) =>
            JsBridge.ToJs(engine, items.Put(Store(a), Key(a), JsBridge.FromJs(engine, a.At(2))))));
        tx.Set("add", new ClrFunction(engine, "add", (_, a) =>
            items.Add(Store(a), Key(a), JsBridge.FromJs(engine, a.At(2))) ? JsBoolean.True : JsBoolean.False));
        tx.Set("remove", new ClrFunction(engine, "remove", (_, a) =>
            items.Remove(Store(a), Key(a)) ? JsBoolean.True : JsBoolean.False));
        tx.Set("range", new ClrFunction(engine, "range", (_, a) =>
        {
            int? limit = a.At(3).IsNumber() ? (int)a.At(3).AsNumber() : null;
            return JsBridge.ToJs(engine, items.Range(Store(a), JsBridge.OptionalString(a.At(1), "from"), JsBridge.OptionalString(a.At(2), "to"), limit));
        }));
        return tx;
    }

    private static string Store(JsValue[] a) => JsBridge.RequiredString(a.At(0), "the store name");

    private static string Key(JsValue[] a) => JsBridge.RequiredString(a.At(1), "the key");
}
