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
