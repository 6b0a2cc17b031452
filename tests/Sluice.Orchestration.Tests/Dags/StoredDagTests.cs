using Sluice.Orchestration.Dags;
using Sluice.Orchestration.Dags.Parsing;

namespace Sluice.Orchestration.Tests.Dags;

public sealed class StoredDagTests
{
    [Fact]
    public void Each_task_of_a_stored_version_is_the_task_the_whole_parse_gives_with_the_dags_settings()
    {
        var whole = DagParser.Parse(DagParserTests.Example);
        var stored = DagParser.ParseStored(DagParserTests.Example, "daily_orders");

        Assert.Equal(4, whole.Tasks.Count);
        foreach (var expected in whole.Tasks)
        {
            var task = stored.Task(expected.Id);
            Assert.Equivalent(expected, task.Task, strict: true);
            Assert.Equal(expected.GetType(), task.Task.GetType());
            Assert.Equal("daily_orders", task.DagName);
            Assert.Equal(whole.TimeZone, task.TimeZone);
            Assert.Equal(whole.Params, task.Params);
        }
    }

    [Fact]
    public void The_stored_name_wins_and_an_unknown_task_is_named_in_the_error()
    {
        var stored = DagParser.ParseStored(DagParserTests.Example, "connection:orders");

        Assert.Equal("connection:orders", stored.Task("build").DagName);
        var error = Assert.Throws<KeyNotFoundException>(() => stored.Task("nope"));
        Assert.Equal("dag 'connection:orders' has no task 'nope'", error.Message);
    }

    [Fact]
    public void A_wide_dag_finds_its_tasks_by_id_in_any_order()
    {
        var yaml = "name: wide\ntasks:\n" + string.Concat(Enumerable.Range(0, 2_000).Select(i =>
            $"  - {(i % 2 == 0 ? $"id: t{i}\n    type: noop" : $"type: command\n    command: \"true\"\n    id: t{i}")}\n    depends_on: [{(i == 0 ? "" : $"t{i - 1}")}]\n"));
        var stored = DagParser.ParseStored(yaml, "wide");

        Assert.IsType<NoopTaskDefinition>(stored.Task("t1500").Task);
        var last = stored.Task("t1999").Task;
        Assert.IsType<CommandTaskDefinition>(last);
        Assert.Equal(["t1998"], last.DependsOn);
    }

    [Fact]
    public void A_document_that_is_not_one_dag_is_refused()
    {
        Assert.Throws<DagDefinitionException>(() => DagParser.ParseStored(DagParserTests.Example + "\n---\n" + DagParserTests.Example, "x"));
        Assert.Throws<DagDefinitionException>(() => DagParser.ParseStored("name: [", "x"));
    }
}
