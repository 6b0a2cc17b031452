using Sluice.Orchestration.Execution;

namespace Sluice.Orchestration.Tests.Execution;

/// <summary>Keeps log lines in memory; the executor already serialises calls.</summary>
internal sealed class ListLogSink : ILogSink
{
    private readonly List<TaskLogLine> _lines = [];

    public IReadOnlyList<TaskLogLine> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public IEnumerable<string> Texts(TaskLogStream stream) => Lines.Where(l => l.Stream == stream).Select(l => l.Text);

    public void Write(TaskLogLine line)
    {
        lock (_lines)
        {
            _lines.Add(line);
        }
    }
}
