using System.Diagnostics;
using Sop.Coordination;
using Sop.Redis.Tests.Support;

namespace Sop.Redis.Tests;

/// <summary>The lock scents themselves: all or nothing, owner-only release, stale takeover, no stealing from the living.</summary>
public sealed class RedisLockTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private readonly RedisEngines _engines = new(redis);
    private ICoordinator _a = null!, _b = null!;
    private Guid _folder;

    public async Task InitializeAsync()
    {
        var first = await _engines.OpenAsync(r => r.LockLifetime = TimeSpan.FromSeconds(1));
        _a = first.Coordinator;
        _b = (await _engines.OpenAsync(r => r.LockLifetime = TimeSpan.FromSeconds(1))).Coordinator;
        _folder = first.Header.DatabaseId;
    }

    public Task DisposeAsync() => _engines.DisposeAsync().AsTask();

    private LockKey Key(string name) => LockKey.ForStoreName(_folder, name);

    [Fact]
    public async Task Lock_IsAllOrNothing_AndReleasedOnlyByItsOwner()
    {
        Guid alice = Guid.NewGuid(), bob = Guid.NewGuid();
        Assert.True(await _a.TryLockAsync([Key("k1"), Key("k2")], alice, default));
        Assert.False(await _b.TryLockAsync([Key("k2"), Key("k3")], bob, default));
        // bob's failed attempt left nothing behind: k3 is free for anyone
        Assert.True(await _a.TryLockAsync([Key("k3")], Guid.NewGuid(), default));
        // bob cannot release alice's locks
        await _b.UnlockAsync([Key("k1"), Key("k2")], bob, default);
        Assert.True(await _b.ValidateAsync([Key("k1"), Key("k2")], [], alice, default));
        Assert.False(await _b.ValidateAsync([], [Key("k1")], bob, default));
        await _a.UnlockAsync([Key("k1"), Key("k2")], alice, default);
        await LockEventuallyAsync(_b, [Key("k1"), Key("k2")], bob); // the release is sent without waiting for it
    }

    [Fact]
    public async Task Validate_FailsWhenALockWasLost_AndSeesOthersLocksOnReadNodes()
    {
        Guid alice = Guid.NewGuid(), bob = Guid.NewGuid();
        Assert.True(await _a.TryLockAsync([Key("v1")], alice, default));
        Assert.True(await _a.ValidateAsync([Key("v1")], [Key("v2")], alice, default));
        Assert.True(await _b.TryLockAsync([Key("v2")], bob, default));
        Assert.False(await _a.ValidateAsync([Key("v1")], [Key("v2")], alice, default));
        Assert.False(await _a.ValidateAsync([Key("never-taken")], [], alice, default));
    }

    [Fact]
    public async Task StaleLock_OfAVanishedOwner_IsTakenAfterItsLifetime()
    {
        Guid ghost = Guid.NewGuid(), bob = Guid.NewGuid();
        Assert.True(await _a.TryLockAsync([Key("stale")], ghost, default)); // its owner never renews nor releases it
        Assert.False(await _b.TryLockAsync([Key("stale")], bob, default));
        await LockEventuallyAsync(_b, [Key("stale")], bob);
    }

    [Fact]
    public async Task LiveOwner_RenewingItsLock_IsNeverStolen()
    {
        Guid alice = Guid.NewGuid(), bob = Guid.NewGuid();
        Assert.True(await _a.TryLockAsync([Key("live")], alice, default));
        // alice renews every tenth of a lifetime for two lifetimes; bob keeps trying the whole time
        for (int i = 0; i < 20; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            Assert.True(await _a.ValidateAsync([Key("live")], [], alice, default), $"alice lost her lock at renewal {i}");
            Assert.False(await _b.TryLockAsync([Key("live")], bob, default), $"bob took a live lock at renewal {i}");
        }
        await _a.UnlockAsync([Key("live")], alice, default);
        await LockEventuallyAsync(_b, [Key("live")], bob);
    }

    /// <summary>Takes the keys once they are free (bounded wait): for releases in flight and lifetimes running out.</summary>
    private static async Task LockEventuallyAsync(ICoordinator coordinator, LockKey[] keys, Guid owner)
    {
        var watch = Stopwatch.StartNew();
        while (!await coordinator.TryLockAsync(keys, owner, default))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "the lock was never freed");
            await coordinator.WaitForReleaseAsync(keys, owner, TimeSpan.FromMilliseconds(50), default);
        }
    }
}
