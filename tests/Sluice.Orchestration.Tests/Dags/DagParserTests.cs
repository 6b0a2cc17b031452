using Sluice.Orchestration.Dags;
using Sluice.Orchestration.Dags.Parsing;
using Sluice.Orchestration.Scheduling;
using Sluice.Orchestration.Tasks;

namespace Sluice.Orchestration.Tests.Dags;

public sealed class DagParserTests
{
    internal const string Example = """
        name: daily_orders
        description: Load orders, build marts, tell the world
        schedule: "30 2 * * *"
        timezone: Europe/Berlin
        catchup: true
        start_date: 2024-01-01
        max_active_runs: 1
        max_active_tasks: 4
        params:
          schema: analytics
          days: 3
        tags: [orders, finance]
        paused: false
        tasks:
          - id: extract
            type: sync
            connection: pg_to_warehouse
            retries: 3
            retry_delay: 30s
            retry_exponential_backoff: true
            max_retry_delay: 10m
            timeout: 1h30m
            pool: warehouse
            priority_weight: 10
          - id: build
            type: sql
            destination: warehouse
            sql: |
              delete from {{ params.schema }}.daily where day = '{{ ds }}';
              insert into {{ params.schema }}.daily select * from staging.orders where day = '{{ ds }}';
            depends_on: [extract]
          - id: export
            type: command
            command: python3
            args: ["export.py", "--day", "{{ ds }}"]
            env: { TARGET: "s3://bucket/{{ ds_nodash }}" }
            working_dir: /opt/jobs
            timeout: PT10M
            depends_on: [build]
          - id: notify
            type: http
            method: post
            url: https://hooks.example.com/done
            headers: { Authorization: "Bearer x" }
            body: '{"run": "{{ run_id }}"}'
            expected_status: [200, 202]
            depends_on: [export, build]
            trigger_rule: all_done
        """;

    [Fact]
    public void Parses_a_full_example()
    {
        var dag = DagParser.Parse(Example);
        Assert.Equal("daily_orders", dag.Name);
        Assert.Equal("Europe/Berlin", dag.TimeZone.Id);
        Assert.True(dag.Catchup);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.FromHours(1)), dag.StartDate);
        Assert.Equal(1, dag.MaxActiveRuns);
        Assert.Equal(4, dag.MaxActiveTasks);
        Assert.Equal("3", dag.Params["days"]);
        Assert.Equal(["orders", "finance"], dag.Tags);
        var cron = Assert.IsType<CronSchedule>(dag.Schedule);
        Assert.Equal("Europe/Berlin", cron.TimeZone.Id);

        var extract = Assert.IsType<SyncTaskDefinition>(dag.Tasks[0]);
        Assert.Equal("pg_to_warehouse", extract.Connection);
        Assert.Equal(new RetryPolicy(3, TimeSpan.FromSeconds(30), true, TimeSpan.FromMinutes(10)), extract.Retry);
        Assert.Equal(TimeSpan.FromMinutes(90), extract.Timeout);
        Assert.Equal("warehouse", extract.Pool);
        Assert.Equal(10, extract.PriorityWeight);

        var build = Assert.IsType<SqlTaskDefinition>(dag.Tasks[1]);
        Assert.Equal(SqlTargetKind.Destination, build.TargetKind);
        Assert.Contains("{{ ds }}", build.Sql);
        Assert.True(build.Transaction);

        var export = Assert.IsType<CommandTaskDefinition>(dag.Tasks[2]);
        Assert.Equal(["export.py", "--day", "{{ ds }}"], export.Args);
        Assert.Equal(TimeSpan.FromMinutes(10), export.Timeout);
        Assert.Equal("/opt/jobs", export.WorkingDir);

        var notify = Assert.IsType<HttpTaskDefinition>(dag.Tasks[3]);
        Assert.Equal("POST", notify.Method);
        Assert.Equal([200, 202], notify.ExpectedStatus);
        Assert.Equal(TriggerRule.AllDone, notify.TriggerRule);

        Assert.Equal(["extract", "build", "export", "notify"], dag.Graph.TopologicalOrder);
        Assert.Equal(["extract"], dag.Graph.Roots);
        Assert.Equal(["export", "notify"], dag.Graph.Downstream("build"));
    }

    [Theory]
    [InlineData("schedule: null")]
    [InlineData("schedule: manual")]
    [InlineData("")]
    public void Manual_schedules(string line) =>
        Assert.IsType<ManualSchedule>(DagParser.Parse(Minimal(line)).Schedule);

    [Fact]
    public void Interval_schedules_anchor_on_the_start_date()
    {
        var every = Assert.IsType<IntervalSchedule>(DagParser.Parse(Minimal("schedule: \"@every 15m\"")).Schedule);
        Assert.Equal(TimeSpan.FromMinutes(15), every.Interval);
        Assert.Equal(DateTimeOffset.UnixEpoch, every.Anchor);

        var mapped = Assert.IsType<IntervalSchedule>(DagParser.Parse(Minimal("schedule: { interval: 1h }\nstart_date: 2024-05-01T06:30:00Z")).Schedule);
        Assert.Equal(TimeSpan.FromHours(1), mapped.Interval);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 6, 30, 0, TimeSpan.Zero), mapped.Anchor);
    }

    [Fact]
    public void Presets_and_six_field_cron()
    {
        Assert.Equal("@hourly", DagParser.Parse(Minimal("schedule: \"@hourly\"")).Schedule.Text);
        Assert.IsType<CronSchedule>(DagParser.Parse(Minimal("schedule: { cron: \"0 */5 * * * *\" }")).Schedule);
    }

    [Fact]
    public void Event_schedules()
    {
        var events = Assert.IsType<EventSchedule>(DagParser.Parse(Minimal("on: { connections: [a, b], dags: [x], mode: any }")).Schedule);
        Assert.Equal(["a", "b"], events.Connections);
        Assert.Equal(["x"], events.Dags);
        Assert.Equal(EventMode.Any, events.Mode);
        var nested = Assert.IsType<EventSchedule>(DagParser.Parse(Minimal("schedule:\n  on:\n    dags: [x]")).Schedule);
        Assert.Equal(EventMode.All, nested.Mode);
    }

    [Fact]
    public void Defaults()
    {
        var dag = DagParser.Parse(Minimal(""));
        Assert.False(dag.Catchup);
        Assert.Equal(TimeZoneInfo.Utc, dag.TimeZone);
        Assert.Equal(16, dag.MaxActiveRuns);
        var task = dag.Tasks[0];
        Assert.Equal(TriggerRule.AllSuccess, task.TriggerRule);
        Assert.Equal(0, task.Retry.Retries);
        Assert.Equal(TimeSpan.FromMinutes(5), task.Retry.Delay);
        Assert.Null(task.Timeout);
    }

    [Fact]
    public void A_noop_task_is_a_join_point_with_the_shared_settings_only()
    {
        var dag = DagParser.Parse("""
            name: joined
            tasks:
              - { id: a, type: noop }
              - { id: b, type: noop }
              - { id: both, type: noop, depends_on: [a, b], trigger_rule: none_failed, pool: default, priority_weight: 3 }
            """);
        var join = Assert.IsType<NoopTaskDefinition>(dag.Task("both"));
        Assert.Equal("noop", join.Type);
        Assert.Equal(["a", "b"], join.DependsOn);
        Assert.Equal(TriggerRule.NoneFailed, join.TriggerRule);
        Assert.Equal(3, join.PriorityWeight);
        Assert.Equal(["a", "b"], dag.Graph.Roots);
    }

    [Fact]
    public void Several_documents_in_one_file()
    {
        var dags = DagParser.ParseAll(Minimal("") + "\n---\n" + Minimal("").Replace("name: d", "name: e", StringComparison.Ordinal));
        Assert.Equal(["d", "e"], dags.Select(d => d.Name));
    }

    [Fact]
    public void Known_references_pass_the_checks()
    {
        var options = new DagParseOptions
        {
            ConnectionExists = n => n == "pg_to_warehouse",
            DestinationExists = n => n == "warehouse",
        };
        Assert.Equal(4, DagParser.Parse(Example, options).Tasks.Count);
    }

    internal static string Minimal(string extra) => $"""
        name: d
        {extra}
        tasks:
          - id: t
            type: command
            command: "true"
        """;
}
