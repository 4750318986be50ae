using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Sop.Web.Tests;

namespace Sop.Ui.Tests;

/// <summary>
/// The Data Manager in a real browser (Debian chromium driven by Playwright; path from SOP_CHROMIUM, default
/// /usr/bin/chromium) against the standalone silo. Screenshots go to the test output's screenshots/ folder.
/// </summary>
public sealed class DataManagerTests(SiloApp app) : IClassFixture<SiloApp>, IAsyncLifetime
{
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private IPage _page = null!;
    private HttpClient _api = null!;

    public async Task InitializeAsync()
    {
        _api = await app.ClientAsync();
        _playwright = await Playwright.CreateAsync();
        string chromium = Environment.GetEnvironmentVariable("SOP_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true });
        _page = await _browser.NewPageAsync();
        _page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await _page.GotoAsync(_api.BaseAddress!.ToString());
        Directory.CreateDirectory(Screenshots);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    private Task ShotAsync(string name) => _page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    private ILocator Error => _page.Locator("#error");

    [Fact]
    public async Task CreateStore_InsertAndEditAnItem_InvalidJsonIsShown()
    {
        await _page.FillAsync("#store-name", "ui-items");
        await _page.ClickAsync("text=Create store");
        await _page.ClickAsync("#stores >> text=ui-items");
        await _page.FillAsync("#item-key", "alice");
        await _page.FillAsync("#item-value", """{"balance": 10}""");
        await _page.ClickAsync("text=Save item");
        await Assertions.Expect(_page.Locator("#items tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(_page.Locator("#items tbody")).ToContainTextAsync("\"balance\": 10");

        // Saving empties the editor and Edit fills it from the server asynchronously: wait for the fetched value
        // before typing, or the late fill would overwrite what the test typed.
        await Assertions.Expect(_page.Locator("#item-value")).ToHaveValueAsync("");
        await _page.ClickAsync("#items >> text=Edit");
        await Assertions.Expect(_page.Locator("#item-key")).ToHaveValueAsync("alice");
        await Assertions.Expect(_page.Locator("#item-value")).ToHaveValueAsync("{\n  \"balance\": 10\n}");
        await _page.FillAsync("#item-value", """{"balance": 11}""");
        await _page.ClickAsync("text=Save item");
        await Assertions.Expect(_page.Locator("#items tbody")).ToContainTextAsync("\"balance\": 11");
        var stored = JsonNode.Parse(await _api.GetStringAsync("/api/stores/ui-items/items/alice"))!;
        Assert.Equal(11, stored["value"]!["balance"]!.GetValue<int>());

        await _page.FillAsync("#item-key", "alice");
        await _page.FillAsync("#item-value", "{not json");
        await _page.ClickAsync("text=Save item");
        await Assertions.Expect(Error).ToBeVisibleAsync();
        await Assertions.Expect(Error).ToContainTextAsync("invalid JSON");
        await ShotAsync("items-invalid-json");
    }

    [Fact]
    public async Task PagesThrough250Items()
    {
        await _api.PostJsonAsync("/api/stores", """{"name":"ui-pages"}""");
        var ops = new JsonArray(Enumerable.Range(0, 250).Select(i => (JsonNode)new JsonObject { ["op"] = "add", ["store"] = "ui-pages", ["key"] = $"k{i:D3}", ["value"] = i }).ToArray());
        (await _api.PostJsonAsync("/api/transactions", new JsonObject { ["operations"] = ops }.ToJsonString())).EnsureSuccessStatusCode();
        await _page.ReloadAsync();
        await _page.ClickAsync("#stores >> text=ui-pages");
        await Assertions.Expect(_page.Locator("#page-info")).ToHaveTextAsync("page 1, 100 items");
        await _page.ClickAsync("#next-page");
        await Assertions.Expect(_page.Locator("#page-info")).ToHaveTextAsync("page 2, 100 items");
        await Assertions.Expect(_page.Locator("#items tbody tr").First).ToContainTextAsync("k100");
        await _page.ClickAsync("#next-page");
        await Assertions.Expect(_page.Locator("#page-info")).ToHaveTextAsync("page 3, 50 items");
        await Assertions.Expect(_page.Locator("#next-page")).ToBeDisabledAsync();
        await Assertions.Expect(_page.Locator("#items tbody tr").Last).ToContainTextAsync("k249");
        await _page.ClickAsync("#prev-page");
        await Assertions.Expect(_page.Locator("#page-info")).ToHaveTextAsync("page 2, 100 items");
        await _page.CheckAsync("#keys-only");
        await _page.ClickAsync("text=Show");
        await Assertions.Expect(_page.Locator("#items tbody tr").First.Locator("pre")).ToHaveCountAsync(0);
        await ShotAsync("items-paging");
    }

    [Fact]
    public async Task RunsAMacro_AndFollowsATaskTo100Percent()
    {
        await _api.PostJsonAsync("/api/stores", """{"name":"ui-task"}""");
        await _page.ClickAsync("nav >> text=Macros");
        await _page.FillAsync("#macro-name", "ui-double");
        await _page.FillAsync("#macro-body", """{"parameters":[{"name":"x","type":"number","required":true}],"steps":[{"kind":"put","store":"ui-task","key":"k{{args.x}}","value":"{{args.x}}"},{"kind":"script","code":"return args.x * 2;"}]}""");
        await _page.ClickAsync("text=Save macro");
        await Assertions.Expect(_page.Locator("#macros tbody")).ToContainTextAsync("ui-double");
        await _page.FillAsync("#run-name", "ui-double");
        await _page.FillAsync("#run-args", """{"x": 21}""");
        await _page.ClickAsync("text=Run macro");
        await Assertions.Expect(_page.Locator("#run-result")).ToHaveTextAsync("42");
        await _page.FillAsync("#run-args", """{"x": "no"}""");
        await _page.ClickAsync("text=Run macro");
        await Assertions.Expect(Error).ToContainTextAsync("400");
        await ShotAsync("macro-run");

        await _page.ClickAsync("nav >> text=Tasks");
        await _page.FillAsync("#task-macro", "ui-double");
        await _page.FillAsync("#task-inputs", "[" + string.Join(",", Enumerable.Range(1, 40).Select(i => $"{{\"x\":{i}}}")) + "]");
        await _page.ClickAsync("text=Submit task");
        var row = _page.Locator("#tasks tbody tr").First;
        await Assertions.Expect(row.Locator(".percent")).ToHaveTextAsync(" 100%", new() { Timeout = 60_000 });
        await Assertions.Expect(row).ToContainTextAsync("completed");
        await ShotAsync("task-progress");
    }
}
