using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Sluice.Orchestration.Runtime;
using Sluice.Testing;

namespace Sluice.Server.Tests.Dags;

/// <summary>sql tasks run by the server's own scheduler and worker on real PostgreSQL and MariaDB destinations.</summary>
public sealed class SqlTaskTests
{
    private static JsonObject Config(int port, string database, string username, string password, bool postgres)
    {
        var config = new JsonObject { ["host"] = "127.0.0.1", ["port"] = port, ["database"] = database, ["username"] = username, ["password"] = password };
        if (postgres)
            config["schema"] = "public";
        return config;
    }

    private static async Task CreateDestinationAsync(HttpClient api, string name, string connector, JsonObject config)
    {
        var created = await api.PostAsJsonAsync("/api/v1/destinations", new { name, connector, config });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Fact]
    public async Task A_sql_file_is_templated_with_the_logical_date_interval_and_params_and_runs_after_the_file_is_gone()
    {
        var pg = await PostgresServer.InstanceAsync();
        var db = await pg.CreateDatabaseAsync("dagsql");
        await pg.ExecuteAsync(db, "create table daily(day date, note text, interval_start timestamptz, interval_end timestamptz)");
        await using var server = await TestServer.StartAsync();
        using var api = await server.AsAdminAsync();
        await CreateDestinationAsync(api, "warehouse", "postgres", Config(pg.Port, db, PostgresServer.User, PostgresServer.Password, postgres: true));
        var folder = Path.Combine(server.DataDir, "dags");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "build.sql"), """
            insert into daily values ('{{ ds }}', '{{ params.note }} {{ dag_id }}', '{{ data_interval_start }}', '{{ data_interval_end }}');
            """);
        var yaml = """
            name: marts
            schedule: "@daily"
            timezone: Europe/Berlin
            paused: true
            params:
              note: default
            tasks:
              - id: build
                type: sql
                destination: warehouse
                file: build.sql
            """;

        // As `sluice dags apply -f dags/marts.yaml` does: the file resolves next to the YAML and is stored with the version.
        await server.App.Services.GetRequiredService<DagOperations>().ApplyAsync(yaml, Path.Combine(folder, "marts.yaml"), folder);
        File.Delete(Path.Combine(folder, "build.sql"));

        // Backfill across the spring-forward night: the 31st is a 23-hour day in Berlin.
        var backfill = await api.PostAsJsonAsync("/api/v1/dags/marts/backfill", new
        {
            from = DateTimeOffset.Parse("2024-03-30T00:00:00+01:00"), to = DateTimeOffset.Parse("2024-04-01T00:00:00+02:00"),
        });
        backfill.EnsureSuccessStatusCode();
        var runs = (await backfill.Content.ReadFromJsonAsync<JsonArray>())!.Select(r => r!["id"]!.GetValue<long>()).ToList();
        Assert.Equal(2, runs.Count);
        foreach (var run in runs)
            Assert.Equal("success", (await DagApi.WaitAsync(api, run)).Run["state"]!.GetValue<string>());
        var manual = await DagApi.WaitAsync(api, await DagApi.TriggerAsync(api, "marts", new { note = "by hand" }));
        Assert.Equal("success", manual.Run["state"]!.GetValue<string>());

        Assert.Equal("2024-03-30|default marts|2024-03-29T23:00:00Z|2024-03-30T23:00:00Z", await RowAsync(pg, db, "2024-03-30"));
        Assert.Equal("2024-03-31|default marts|2024-03-30T23:00:00Z|2024-03-31T22:00:00Z", await RowAsync(pg, db, "2024-03-31"));
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.Parse(manual.Run["logicalDate"]!.GetValue<string>()), TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        Assert.StartsWith($"{today:yyyy-MM-dd}|by hand marts|", await RowAsync(pg, db, today.ToString("yyyy-MM-dd")));
        Assert.Contains("1 rows affected", await DagApi.LogAsync(api, runs[0], "build"));
    }

    private static Task<string?> RowAsync(PostgresServer pg, string db, string day) => pg.ScalarAsync<string>(db,
        $"select day || '|' || note || '|' || to_char(interval_start at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') || '|' || " +
        $"to_char(interval_end at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') from daily where day = '{day}'");

    [Fact]
    public async Task On_postgres_a_failing_statement_rolls_back_the_earlier_ones_and_without_a_transaction_vacuum_runs()
    {
        var pg = await PostgresServer.InstanceAsync();
        var db = await pg.CreateDatabaseAsync("dagtx");
        await pg.ExecuteAsync(db, "create table ledger(id int primary key, day text)");
        await using var server = await TestServer.StartAsync();
        using var api = await server.AsAdminAsync();
        await CreateDestinationAsync(api, "warehouse", "postgres", Config(pg.Port, db, PostgresServer.User, PostgresServer.Password, postgres: true));

        var transactional = await RunAtomicDagsAsync(api);
        // PostgreSQL refuses VACUUM inside a transaction block: it runs only because the task opts out.
        var vacuum = await RunOneAsync(api, "vacuum", "vacuum ledger", transaction: false);

        Assert.Equal(1, await pg.ScalarAsync<long>(db, "select count(*) from ledger where id = 10 and day = 'probe'"));
        Assert.Equal(0, await pg.ScalarAsync<long>(db, "select count(*) from ledger where id in (1, 2)"));
        Assert.Contains("rolled back", transactional);
        Assert.Contains("no_such_table", transactional);
        Assert.Equal("success", vacuum);
        Assert.Equal("failed", await RunOneAsync(api, "vacuum_in_tx", "vacuum ledger", transaction: true));
    }

    [Fact]
    public async Task On_mariadb_statements_run_templated_and_a_failure_rolls_back_unless_the_task_opts_out()
    {
        var maria = await MariaDbServer.InstanceAsync();
        var db = await maria.CreateDatabaseAsync("dagtx");
        await maria.ExecuteAsync(db, "create table ledger(id int primary key, day varchar(20)) engine=InnoDB");
        await using var server = await TestServer.StartAsync();
        using var api = await server.AsAdminAsync();
        await CreateDestinationAsync(api, "warehouse", "mysql", Config(maria.Port, db, MariaDbServer.User, MariaDbServer.Password, postgres: false));

        var transactional = await RunAtomicDagsAsync(api);
        var piecemeal = await RunOneAsync(api, "piecemeal", "insert into ledger values (3, 'x'); insert into ledger values (4, 'y'); insert into no_such_table values (5);", transaction: false);

        Assert.Equal(1, await maria.ScalarAsync<long>(db, "select count(*) from ledger where id = 10 and day = 'probe'"));
        Assert.Equal(0, await maria.ScalarAsync<long>(db, "select count(*) from ledger where id in (1, 2)"));
        Assert.Contains("rolled back", transactional);
        Assert.Contains("no_such_table", transactional);
        // Without a transaction each statement commits on its own: the two before the failure stay.
        Assert.Equal("failed", piecemeal);
        Assert.Equal(2, await maria.ScalarAsync<long>(db, "select count(*) from ledger where id in (3, 4)"));
    }

    private static async Task<string> RunOneAsync(HttpClient api, string name, string sql, bool transaction)
    {
        var applied = await DagApi.ApplyAsync(api, $"""
            name: {name}
            tasks:
              - id: run
                type: sql
                destination: warehouse
                transaction: {(transaction ? "true" : "false")}
                sql: "{sql}"
            """);
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        return (await DagApi.WaitAsync(api, await DagApi.TriggerAsync(api, name))).Run["state"]!.GetValue<string>();
    }

    /// <summary>
    /// Two DAGs on destination 'warehouse' (table ledger): one that succeeds (id 10, day from a param), and one whose
    /// third statement fails in a transaction (ids 1 and 2 must vanish). Returns the failing task's log.
    /// </summary>
    private static async Task<string> RunAtomicDagsAsync(HttpClient api)
    {
        var applied = await DagApi.ApplyAsync(api, """
            name: probe
            params:
              day: none
            tasks:
              - id: write
                type: sql
                destination: warehouse
                sql: insert into ledger values (10, '{{ params.day }}')
            ---
            name: atomic
            tasks:
              - id: write
                type: sql
                destination: warehouse
                sql: |
                  insert into ledger values (1, '{{ ds }}');
                  insert into ledger values (2, '{{ ds_nodash }}');
                  insert into no_such_table values (3);
            """);
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);

        var probe = await DagApi.WaitAsync(api, await DagApi.TriggerAsync(api, "probe", new { day = "probe" }));
        Assert.Equal("success", probe.Run["state"]!.GetValue<string>());
        var atomic = await DagApi.WaitAsync(api, await DagApi.TriggerAsync(api, "atomic"));
        Assert.Equal("failed", atomic.Tasks["write"]["state"]!.GetValue<string>());
        Assert.Contains("no_such_table", atomic.Tasks["write"]["error"]!.GetValue<string>());
        return await DagApi.LogAsync(api, atomic.Run["id"]!.GetValue<long>(), "write");
    }
}
