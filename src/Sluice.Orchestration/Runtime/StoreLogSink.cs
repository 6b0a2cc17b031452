using System.Globalization;
using System.Text;
using Sluice.Metadata;
using Sluice.Orchestration.Execution;

namespace Sluice.Orchestration.Runtime;

/// <summary>
/// Buffers an attempt's log lines and appends them to task_logs every few hundred milliseconds, so the log is
/// readable while the task runs without a database write per line.
/// </summary>
internal sealed class StoreLogSink : ILogSink, IAsyncDisposable
{
    private readonly IMetadataStore _store;
    private readonly long _taskInstanceId;
    private readonly int _attempt;
    private readonly Lock _lock = new();
    private readonly StringBuilder _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _flusher;
    private readonly TimeProvider _time;

    public StoreLogSink(IMetadataStore store, long taskInstanceId, int attempt, TimeProvider time, TimeSpan flushEvery)
    {
        _store = store;
        _taskInstanceId = taskInstanceId;
        _attempt = attempt;
        _time = time;
        _flusher = FlushLoopAsync(flushEvery);
    }

    public void Write(TaskLogLine line)
    {
        var stream = line.Stream switch { TaskLogStream.Stdout => "out", TaskLogStream.Stderr => "err", _ => "sys" };
        lock (_lock)
            _pending.Append(line.Timestamp.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)).Append(' ').Append(stream).Append(' ').Append(line.Text).Append('\n');
    }

    public void System(string text) => Write(new TaskLogLine(_time.GetUtcNow(), TaskLogStream.System, text));

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        string text;
        lock (_lock)
        {
            text = _pending.ToString();
            _pending.Clear();
        }

        if (text.Length == 0)
            return;
        try
        {
            await _store.Runs.AppendLogAsync(_taskInstanceId, _attempt, text, cancellationToken);
        }
        catch
        {
            // Not written (or not known to be): the lines go back in front of what came since, for the next flush or the report.
            lock (_lock)
                _pending.Insert(0, text);
            throw;
        }
    }

    /// <summary>
    /// Stops the periodic flushes and hands over what is not written yet, for the caller to write in its own
    /// transaction (the attempt's report). Lines written afterwards are still flushed on dispose.
    /// </summary>
    public async Task<string> TakeRestAsync()
    {
        await StopFlusherAsync();
        lock (_lock)
        {
            var text = _pending.ToString();
            _pending.Clear();
            return text;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopFlusherAsync();
        await FlushAsync(CancellationToken.None);
        _stop.Dispose();
    }

    private async Task StopFlusherAsync()
    {
        if (!_stop.IsCancellationRequested)
            await _stop.CancelAsync();
        await _flusher;
    }

    private async Task FlushLoopAsync(TimeSpan every)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, _time, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                // Never cancelled half way: a write cut off by the attempt's end could be lost, and with it the attempt's
                // start line (the end of the attempt waits for this flush, then takes what is left).
                await FlushAsync(CancellationToken.None);
            }
            catch (Exception)
            {
                // The store out of reach for a moment: the lines stay pending for the next flush or the report.
            }
        }
    }
}
