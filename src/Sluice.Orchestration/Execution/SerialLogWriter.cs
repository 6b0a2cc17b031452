namespace Sluice.Orchestration.Execution;

/// <summary>Stamps lines with the injected clock and serialises stdout/stderr callbacks into the sink.</summary>
internal sealed class SerialLogWriter(ILogSink sink, TimeProvider time)
{
    private readonly Lock _lock = new();

    public void Write(TaskLogStream stream, string text)
    {
        lock (_lock)
        {
            sink.Write(new TaskLogLine(time.GetUtcNow(), stream, text));
        }
    }
}
