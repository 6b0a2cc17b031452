namespace Sluice.Orchestration.Tasks;

/// <summary>
/// One legal state change, ready to become the store's conditional update:
/// <c>SET state = To, attempt = NewAttempt WHERE state = From AND attempt = ExpectedAttempt</c>.
/// A writer whose expectation is stale (a zombie worker, a second scheduler) changes nothing.
/// </summary>
public readonly record struct TaskTransition(TaskState From, TaskState To, int ExpectedAttempt, int NewAttempt);
