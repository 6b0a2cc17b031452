namespace Sluice.Orchestration.Execution;

public enum TaskLogStream
{
    Stdout,
    Stderr,

    /// <summary>Lines written by Sluice itself (what ran, exit code, timeout).</summary>
    System,
}

/// <summary>One line of a task attempt's log.</summary>
public readonly record struct TaskLogLine(DateTimeOffset Timestamp, TaskLogStream Stream, string Text);

/// <summary>
/// Where an executor writes its log, line by line as output arrives. Executors never call it from two
/// threads at once, so implementations need no locking of their own.
/// </summary>
public interface ILogSink
{
    void Write(TaskLogLine line);
}
