using Sluice.Orchestration.Tasks;

namespace Sluice.Orchestration.Tests.Tasks;

public sealed class TaskStateMachineTests
{
    [Theory]
    [InlineData(TaskState.None, TaskState.Scheduled)]
    [InlineData(TaskState.Scheduled, TaskState.Queued)]
    [InlineData(TaskState.Queued, TaskState.Running)]
    [InlineData(TaskState.Running, TaskState.Success)]
    [InlineData(TaskState.Running, TaskState.Failed)]
    [InlineData(TaskState.Running, TaskState.UpForRetry)]
    [InlineData(TaskState.UpForRetry, TaskState.Scheduled)]
    [InlineData(TaskState.None, TaskState.UpstreamFailed)]
    [InlineData(TaskState.Scheduled, TaskState.Skipped)]
    [InlineData(TaskState.Failed, TaskState.None)]
    public void Legal_transitions(TaskState from, TaskState to) => Assert.True(TaskStateMachine.IsLegal(from, to));

    [Theory]
    [InlineData(TaskState.Success, TaskState.Running)]
    [InlineData(TaskState.Failed, TaskState.Success)]
    [InlineData(TaskState.Scheduled, TaskState.Running)]
    [InlineData(TaskState.None, TaskState.Running)]
    [InlineData(TaskState.Running, TaskState.Queued)]
    [InlineData(TaskState.UpForRetry, TaskState.Running)]
    [InlineData(TaskState.Skipped, TaskState.Success)]
    public void Illegal_transitions(TaskState from, TaskState to)
    {
        Assert.False(TaskStateMachine.IsLegal(from, to));
        var ex = Assert.Throws<InvalidOperationException>(() => TaskStateMachine.Plan(from, to, 1));
        Assert.Contains($"{from.ToName()} -> {to.ToName()}", ex.Message);
    }

    [Fact]
    public void Attempt_grows_only_when_a_task_gets_a_new_chance()
    {
        Assert.Equal(new TaskTransition(TaskState.Queued, TaskState.Running, 1, 1), TaskStateMachine.Plan(TaskState.Queued, TaskState.Running, 1));
        Assert.Equal(2, TaskStateMachine.Plan(TaskState.UpForRetry, TaskState.Scheduled, 1).NewAttempt);
        Assert.Equal(4, TaskStateMachine.Plan(TaskState.Success, TaskState.None, 3).NewAttempt);
        Assert.Equal(3, TaskStateMachine.Plan(TaskState.Running, TaskState.UpForRetry, 3).NewAttempt);
    }

    /// <summary>
    /// The fencing argument behind consecutive attempt numbers: no transition adds more than one, and no way out of
    /// running leads back into it without a new chance, so a lost worker's attempt number is never reused.
    /// </summary>
    [Fact]
    public void Attempts_are_consecutive_and_never_reused_after_leaving_running()
    {
        foreach (var from in Enum.GetValues<TaskState>())
            foreach (var to in TaskStateMachine.LegalTargets(from))
                Assert.InRange(TaskStateMachine.Plan(from, to, 5).NewAttempt, 5, 6);

        var seen = new HashSet<TaskState>();
        var pending = new Queue<TaskState>(TaskStateMachine.LegalTargets(TaskState.Running));
        while (pending.TryDequeue(out var state))
        {
            // Only paths that never added one: none of them may reach running again.
            if (!seen.Add(state))
                continue;
            foreach (var to in TaskStateMachine.LegalTargets(state).Where(to => TaskStateMachine.Plan(state, to, 1).NewAttempt == 1))
            {
                Assert.NotEqual(TaskState.Running, to);
                pending.Enqueue(to);
            }
        }

        // The retry and the clear after a failure (a zombie's too) each give the next number, once.
        Assert.Equal(2, Walk(TaskState.Running, TaskState.UpForRetry, TaskState.Scheduled, TaskState.Queued, TaskState.Running));
        Assert.Equal(2, Walk(TaskState.Running, TaskState.Failed, TaskState.None, TaskState.Scheduled, TaskState.Queued, TaskState.Running));
    }

    private static int Walk(params TaskState[] states)
    {
        var attempt = 1;
        for (var i = 1; i < states.Length; i++)
            attempt = TaskStateMachine.Plan(states[i - 1], states[i], attempt).NewAttempt;
        return attempt;
    }

    [Fact]
    public void Every_state_has_a_stable_name_and_terminal_states_only_go_back_to_none()
    {
        foreach (var state in Enum.GetValues<TaskState>())
        {
            Assert.True(TaskStates.TryParse(state.ToName(), out var parsed));
            Assert.Equal(state, parsed);
            if (state.IsTerminal())
            {
                Assert.Equal([TaskState.None], TaskStateMachine.LegalTargets(state));
            }
        }

        Assert.Equal("up_for_retry", TaskState.UpForRetry.ToName());
    }
}
