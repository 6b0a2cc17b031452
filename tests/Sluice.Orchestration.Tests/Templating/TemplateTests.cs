using Sluice.Orchestration.Dags;
using Sluice.Orchestration.Execution;
using Sluice.Orchestration.Scheduling;
using Sluice.Orchestration.Templating;

namespace Sluice.Orchestration.Tests.Templating;

public sealed class TemplateTests
{
    private static TaskContext Context(TimeZoneInfo? zone = null) => new()
    {
        DagId = "daily_orders",
        RunId = "scheduled__2024-03-31",
        Task = new CommandTaskDefinition { Id = "export", Command = "true" },
        DataInterval = new DataInterval(new DateTimeOffset(2024, 3, 30, 23, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 3, 31, 22, 0, 0, TimeSpan.Zero)),
        Attempt = 2,
        TimeZone = zone ?? TimeZoneInfo.Utc,
        Params = new Dictionary<string, string> { ["schema"] = "analytics" },
    };

    [Fact]
    public void Renders_every_built_in_variable()
    {
        var c = Context();
        Assert.Equal("2024-03-30 20240330", c.Render("{{ ds }} {{ds_nodash}}", "sql"));
        Assert.Equal("2024-03-30T23:00:00+00:00", c.Render("{{ logical_date }}", "sql"));
        Assert.Equal("2024-03-30T23:00:00+00:00/2024-03-31T22:00:00+00:00", c.Render("{{ data_interval_start }}/{{ data_interval_end }}", "sql"));
        Assert.Equal("daily_orders.export.scheduled__2024-03-31.2", c.Render("{{ dag_id }}.{{ task_id }}.{{ run_id }}.{{ try_number }}", "sql"));
        Assert.Equal("select * from analytics.orders", c.Render("select * from {{ params.schema }}.orders", "sql"));
    }

    [Fact]
    public void Dates_render_in_the_dags_time_zone()
    {
        var c = Context(TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        Assert.Equal("2024-03-31", c.Render("{{ ds }}", "sql"));
        Assert.Equal("2024-03-31T00:00:00+01:00", c.Render("{{ logical_date }}", "sql"));
        Assert.Equal("2024-04-01T00:00:00+02:00", c.Render("{{ data_interval_end }}", "sql"));
    }

    [Fact]
    public void Unknown_variable_is_an_error_naming_it_and_the_field()
    {
        var ex = Assert.Throws<TemplateException>(() => Context().Render("select {{ dss }}", "sql"));
        Assert.Equal("dss", ex.Variable);
        Assert.Contains("unknown template variable 'dss'", ex.Message);
        Assert.Contains("task 'export', field 'sql'", ex.Message);
        Assert.Contains("ds_nodash", ex.Message);
    }

    [Fact]
    public void Unknown_param_is_an_error_naming_it()
    {
        var ex = Assert.Throws<TemplateException>(() => Context().Render("{{ params.table }}", "args[0]"));
        Assert.Contains("'params.table'", ex.Message);
        Assert.Contains("schema", ex.Message);
    }

    [Theory]
    [InlineData("{{ ds ", "unclosed")]
    [InlineData("{{ ds | upper }}", "unsupported template expression")]
    public void Bad_syntax_is_an_error(string template, string message)
    {
        var ex = Assert.Throws<TemplateException>(() => Context().Render(template, "sql"));
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void Quoted_literals_escape_braces_and_plain_text_passes_through()
    {
        Assert.Equal("{{ not a var }}", Context().Render("{{ '{{' }} not a var }}", "body"));
        Assert.Equal("no templates { here }", Context().Render("no templates { here }", "body"));
    }

    [Fact]
    public void Validation_checks_names_but_not_params()
    {
        TemplateRenderer.Validate("{{ ds }} {{ params.anything }}", TemplateVariables.Names);
        Assert.Throws<TemplateException>(() => TemplateRenderer.Validate("{{ yesterday }}", TemplateVariables.Names));
    }
}
