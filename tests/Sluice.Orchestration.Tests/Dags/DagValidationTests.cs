using Sluice.Orchestration.Dags.Parsing;

namespace Sluice.Orchestration.Tests.Dags;

public sealed class DagValidationTests
{
    private static DagDefinitionException Reject(string yaml, DagParseOptions? options = null) =>
        Assert.Throws<DagDefinitionException>(() => DagParser.ParseAll(yaml, options));

    private static string Dag(string tasks, string header = "") => $"""
        name: etl
        {header}
        tasks:
        {tasks}
        """;

    private const string Command = "type: command\n  command: \"true\"";

    [Fact]
    public void Cycle_names_the_path()
    {
        var ex = Reject(Dag($"""
            - id: a
              {Command}
              depends_on: [c]
            - id: b
              {Command}
              depends_on: [a]
            - id: c
              {Command}
              depends_on: [b]
            """));
        var error = Assert.Single(ex.Errors);
        Assert.Equal("dag 'etl', task 'a', field 'depends_on': dependency cycle: a -> b -> c -> a", error.ToString());
    }

    [Fact]
    public void Self_dependency_is_a_cycle()
    {
        var ex = Reject(Dag($"- id: a\n  {Command}\n  depends_on: [a]"));
        Assert.Contains("dependency cycle: a -> a", ex.Message);
    }

    [Fact]
    public void Unknown_dependency_suggests_the_nearest_task()
    {
        var ex = Reject(Dag($"- id: load\n  {Command}\n- id: report\n  {Command}\n  depends_on: [lod]"));
        Assert.Contains("dag 'etl', task 'report', field 'depends_on': unknown task 'lod' (did you mean 'load'?)", ex.Message);
    }

    [Fact]
    public void Duplicate_task_ids()
    {
        var ex = Reject(Dag($"- id: a\n  {Command}\n- id: a\n  {Command}"));
        Assert.Contains("task 'a', field 'id': duplicate task id 'a'", ex.Message);
    }

    [Theory]
    [InlineData("schedule: \"61 * * * *\"", "field 'schedule': invalid cron expression '61 * * * *'")]
    [InlineData("schedule: \"* * *\"", "field 'schedule': cron expression '* * *' has 3 fields")]
    [InlineData("schedule: \"@fortnightly\"", "unknown schedule preset '@fortnightly'")]
    [InlineData("schedule: \"@every soon\"", "'soon' is not a duration")]
    [InlineData("timezone: Europe/Berln", "dag 'etl', field 'timezone': unknown time zone 'Europe/Berln'")]
    [InlineData("max_active_runs: 0", "field 'max_active_runs': must be 1 or more (got 0)")]
    [InlineData("catchup: maybe", "field 'catchup': must be true or false (got 'maybe')")]
    [InlineData("start_date: yesterday", "field 'start_date': 'yesterday' is not a date")]
    [InlineData("catchpu: true", "field 'catchpu': unknown field (did you mean 'catchup'?)")]
    [InlineData("on: { mode: all }", "needs at least one connection or dag")]
    [InlineData("on: { dags: [x], mode: some }", "unknown mode 'some'; allowed: all, any")]
    [InlineData("kind: connection", "expected kind 'dag'")]
    public void Bad_dag_fields(string header, string message)
    {
        var ex = Reject(Dag($"- id: a\n  {Command}", header));
        Assert.Contains(message, ex.Message);
    }

    [Theory]
    [InlineData("retries: -1", "task 'a', field 'retries': must be 0 or more (got -1)")]
    [InlineData("trigger_rule: all_sucess", "unknown trigger rule 'all_sucess'; allowed: all_success, all_failed, all_done")]
    [InlineData("retry_delay: 5", "field 'retry_delay': '5' is not a duration")]
    [InlineData("timeout: 0s", "field 'timeout': must be longer than zero")]
    [InlineData("retires: 3", "field 'retires': unknown field (did you mean 'retries'?)")]
    [InlineData("args: [\"{{ yesterday }}\"]", "field 'args': args[0]: unknown template variable 'yesterday'")]
    [InlineData("env: { X: [1, 2] }", "field 'env': values must be single values")]
    [InlineData("depends_on: { a: b }", "field 'depends_on': must be a list")]
    public void Bad_task_fields(string line, string message)
    {
        var ex = Reject(Dag($"- id: a\n  {Command}\n  {line}"));
        Assert.Contains(message, ex.Message);
    }

    [Theory]
    [InlineData("- id: a\n  type: sensor", "task 'a', field 'type': unknown task type 'sensor'; allowed: sync, sql, command, http, noop")]
    [InlineData("- id: a\n  type: noop\n  url: http://x", "task 'a', field 'url': unknown field")]
    [InlineData("- id: a", "task 'a', field 'type': is required")]
    [InlineData("- type: sync\n  connection: c", "task '#1', field 'id': is required")]
    [InlineData("- id: a\n  type: sync", "task 'a', field 'connection': is required")]
    [InlineData("- id: a\n  type: command", "task 'a', field 'command': is required")]
    [InlineData("- id: a\n  type: http", "task 'a', field 'url': is required")]
    [InlineData("- id: a\n  type: http\n  url: ftp://x", "'ftp://x' is not an absolute http or https URL")]
    [InlineData("- id: a\n  type: http\n  url: http://x\n  expected_status: [700]", "'700' is not an HTTP status code")]
    [InlineData("- id: a\n  type: sql\n  sql: select 1", "a sql task needs exactly one of connection, destination or source")]
    [InlineData("- id: a\n  type: sql\n  connection: c", "a sql task needs sql (inline text) or file")]
    [InlineData("- id: a\n  type: sql\n  connection: c\n  source: s\n  sql: x", "give only one of connection, source")]
    [InlineData("- id: a b\n  type: sync\n  connection: c", "'a b' is not a valid task id")]
    [InlineData("- just a string", "each task must be a mapping")]
    public void Bad_tasks(string tasks, string message)
    {
        var ex = Reject(Dag(tasks));
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void Missing_name_and_tasks()
    {
        var ex = Reject("description: nothing here\n");
        Assert.Contains(ex.Errors, e => e.Field == "name" && e.Message == "is required");
        Assert.Contains(ex.Errors, e => e.Field == "tasks" && e.Message.StartsWith("is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_connection_destination_and_dag_references()
    {
        var options = new DagParseOptions
        {
            ConnectionExists = n => n == "known",
            DestinationExists = _ => false,
            DagExists = _ => false,
        };
        var ex = Reject(Dag(
            "- id: a\n  type: sync\n  connection: missing\n- id: b\n  type: sql\n  destination: wh\n  sql: select 1",
            "on: { connections: [known, gone], dags: [upstream_dag] }"), options);
        Assert.Contains("dag 'etl', task 'a', field 'connection': unknown connection 'missing'", ex.Message);
        Assert.Contains("dag 'etl', task 'b', field 'destination': unknown destination 'wh'", ex.Message);
        Assert.Contains("dag 'etl', field 'on.connections': unknown connection 'gone'", ex.Message);
        Assert.Contains("dag 'etl', field 'on.dags': unknown dag 'upstream_dag'", ex.Message);
        Assert.Equal(4, ex.Errors.Count);
    }

    [Fact]
    public void Yaml_syntax_error_reports_line_and_column()
    {
        var ex = Reject("name: etl\ntasks:\n  - id: a\n    type: [unclosed\n", new DagParseOptions { SourceName = "dags/etl.yaml" });
        var error = Assert.Single(ex.Errors);
        Assert.Equal("dags/etl.yaml", error.Source);
        Assert.NotNull(error.Line);
        Assert.StartsWith($"dags/etl.yaml:{error.Line}:{error.Column}: YAML syntax error", error.ToString());
        Assert.InRange(error.Line!.Value, 4, 5);
    }

    [Fact]
    public void Yaml_errors_from_bad_indentation()
    {
        var ex = Reject("name: etl\n  tasks: x\n y: 1\n");
        Assert.Contains("YAML syntax error", ex.Message);
        Assert.NotNull(ex.Errors[0].Line);
    }

    [Fact]
    public void Field_errors_carry_positions()
    {
        var ex = Reject(Dag($"- id: a\n  {Command}\n  retries: -2"), new DagParseOptions { SourceName = "x.yaml" });
        var error = Assert.Single(ex.Errors);
        Assert.Equal(7, error.Line);
        Assert.StartsWith("x.yaml:7:", error.ToString());
    }

    [Fact]
    public void All_problems_are_reported_together()
    {
        var ex = Reject(Dag($"- id: a\n  {Command}\n  retries: -1\n  trigger_rule: nope\n  depends_on: [zzz]", "timezone: Mars/Base"));
        Assert.Equal(4, ex.Errors.Count);
        Assert.StartsWith("4 problems in DAG definition", ex.Message);
    }

    [Fact]
    public void Sql_file_must_exist_next_to_the_definition()
    {
        var dir = Directory.CreateTempSubdirectory("sluice-dag-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "build.sql"), "select 1");
            var options = new DagParseOptions { BaseDirectory = dir };
            var ok = DagParser.Parse(Dag("- id: a\n  type: sql\n  connection: c\n  file: build.sql"), options);
            Assert.Equal(Path.Combine(dir, "build.sql"), ((Sluice.Orchestration.Dags.SqlTaskDefinition)ok.Tasks[0]).File);
            var ex = Reject(Dag("- id: a\n  type: sql\n  connection: c\n  file: missing.sql"), options);
            Assert.Contains("missing.sql' does not exist", ex.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
