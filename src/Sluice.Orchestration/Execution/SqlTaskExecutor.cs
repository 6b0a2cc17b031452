using System.Data.Common;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Npgsql;
using Sluice.Core.Model;
using Sluice.Engine.Jobs;
using Sluice.Metadata;
using Sluice.Orchestration.Dags;

namespace Sluice.Orchestration.Execution;

/// <summary>
/// Runs a sql task's (templated) SQL on a stored source or destination, or on a connection's destination, in one
/// transaction when the task asks for it. PostgreSQL and SQLite targets for now; others are refused by name.
/// </summary>
public sealed class SqlTaskExecutor(IMetadataStore store, ConnectionResolver resolver, TimeProvider time) : ITaskExecutor
{
    public async ValueTask<TaskOutcome> ExecuteAsync(TaskContext context, ILogSink log, CancellationToken cancellationToken)
    {
        var task = (SqlTaskDefinition)context.Task;
        var actor = await TargetAsync(task, cancellationToken);
        if (actor is null)
            return TaskOutcome.Failed($"{task.TargetKind.ToString().ToLowerInvariant()} '{task.Target}' does not exist");
        var text = task.Sql ?? await File.ReadAllTextAsync(task.File!, cancellationToken);
        var sql = context.Render(text, task.Sql is null ? "file" : "sql");
        var config = resolver.ConfigOf(actor);
        await using var connection = Open(actor.Connector, config);
        if (connection is null)
            return TaskOutcome.Failed($"sql tasks run on postgres and sqlite; '{actor.Name}' uses the {actor.Connector} connector, which they do not support yet");
        Write(log, $"running SQL on {actor.Kind.ToString().ToLowerInvariant()} '{actor.Name}' ({actor.Connector}){(task.Transaction ? " in a transaction" : "")}");
        await connection.OpenAsync(cancellationToken);
        await using var transaction = task.Transaction ? await connection.BeginTransactionAsync(cancellationToken) : null;
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.CommandTimeout = 0;
        var affected = await command.ExecuteNonQueryAsync(cancellationToken);
        if (transaction is not null)
            await transaction.CommitAsync(cancellationToken);
        Write(log, $"done; {affected} rows affected");
        return TaskOutcome.Succeeded($"{affected} rows affected");
    }

    private async Task<Actor?> TargetAsync(SqlTaskDefinition task, CancellationToken cancellationToken)
    {
        var workspace = await store.Workspaces.GetOrCreateDefaultAsync(cancellationToken);
        return task.TargetKind switch
        {
            SqlTargetKind.Source => await store.Actors.FindByNameAsync(workspace.Id, ActorKind.Source, task.Target, cancellationToken),
            SqlTargetKind.Destination => await store.Actors.FindByNameAsync(workspace.Id, ActorKind.Destination, task.Target, cancellationToken),
            _ => await store.Connections.FindByNameAsync(workspace.Id, task.Target, cancellationToken) is { } c
                ? await store.Actors.GetAsync(c.DestinationId, cancellationToken)
                : null,
        };
    }

    private static DbConnection? Open(string connector, JsonObject config) => connector switch
    {
        "postgres" => new NpgsqlConnection(new NpgsqlConnectionStringBuilder
        {
            Host = config["host"]?.GetValue<string>(),
            Port = config["port"]?.GetValue<int>() ?? 5432,
            Database = config["database"]?.GetValue<string>(),
            Username = config["username"]?.GetValue<string>(),
            Password = config["password"]?.GetValue<string>(),
        }.ConnectionString),
        "sqlite" => new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(config["path"]!.GetValue<string>()) }.ToString()),
        _ => null,
    };

    private void Write(ILogSink log, string text) => log.Write(new TaskLogLine(time.GetUtcNow(), TaskLogStream.System, text));
}
