using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Sop.Hosting;

/// <summary>
/// Owns the process's engine for a generic host: opens it at start (recovering the folder), runs the background
/// recovery loop, and closes it at stop (a checkpoint, so the next start has nothing to redo).
/// </summary>
public sealed partial class SopEngineHost(IOptions<SopEngineOptions> options, ILoggerFactory loggers) : IHostedService, ISopEngineAccessor, IAsyncDisposable
{
    private readonly TaskCompletionSource<SopEngine> _engine = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILogger _logger = loggers.CreateLogger<SopEngineHost>();
    private Task _recoveryLoop = Task.CompletedTask;
    private int _stopped;

    /// <inheritdoc />
    public async ValueTask<SopEngine> GetEngineAsync(CancellationToken cancellationToken = default) =>
        await _engine.Task.WaitAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var engine = await SopEngine.OpenAsync(options.Value, loggers.CreateLogger<SopEngine>(), cancellationToken).ConfigureAwait(false);
            LogOpened(engine.Layout.Root, engine.WriterSlot);
            _recoveryLoop = engine.RunRecoveryLoopAsync(_stopping.Token);
            _engine.TrySetResult(engine);
        }
        catch (Exception e)
        {
            _engine.TrySetException(e);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // hosts may stop a service more than once (and dispose it in between): only the first stop closes the engine
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _recoveryLoop.ConfigureAwait(false);
        if (_engine.Task.IsCompletedSuccessfully) await _engine.Task.Result.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => new(StopAsync(CancellationToken.None));

    [LoggerMessage(Level = LogLevel.Information, Message = "SOP engine opened {Folder} (writer slot {Slot})")]
    private partial void LogOpened(string folder, int slot);
}
