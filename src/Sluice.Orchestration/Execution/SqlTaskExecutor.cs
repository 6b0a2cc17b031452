using System.Data.Common;
using Sluice.Core.Connectors;
using Sluice.Core.Model;
using Sluice.Engine.Jobs;
using Sluice.Metadata;
using Sluice.Orchestration.Dags;

namespace Sluice.Orchestration.Execution;

/// <summary>
/// Runs a sql task's (templated) SQL on a stored source or destination, or on a connection's destination, through a
/// connection its connector opens (<see cref="ISqlConnector"/>). With <c>transaction</c> all statements commit together
/// or, when one fails, none do (where the database allows: MySQL commits implicitly around DDL).
/// </summary>
public sealed class SqlTaskExecutor(IMetadataStore store, ConnectionResolver resolver, ConnectorRegistry registry, TimeProvider time) : ITaskExecutor
{
    public async ValueTask<TaskOutcome> ExecuteAsync(TaskContext context, ILogSink log, CancellationToken cancellationToken)
    {
        var task = (SqlTaskDefinition)context.Task;
        var actor = await TargetAsync(context.DagId, task, cancellationToken);
        if (actor is null)
            return TaskOutcome.Failed($"{task.TargetKind.ToString().ToLowerInvariant()} '{task.Target}' does not exist");
        if (!registry.Contains(actor.Connector) || registry.Get(actor.Connector) is not ISqlConnector connector)
        {
            var sqlConnectors = registry.All.OfType<ISqlConnector>().Cast<IConnector>().Select(c => c.Name).Order();
            return TaskOutcome.Failed($"'{actor.Name}' uses the {actor.Connector} connector, which does not run SQL; sql tasks run on {string.Join(", ", sqlConnectors)}");
        }

        var text = task.Sql ?? await File.ReadAllTextAsync(task.File!, cancellationToken);
        var sql = context.Render(text, task.Sql is null ? "file" : "sql");
        Write(log, $"running SQL on {actor.Kind.ToString().ToLowerInvariant()} '{actor.Name}' ({actor.Connector}){(task.Transaction ? " in a transaction" : "")}");
        DbConnection connection;
        try
        {
            connection = await connector.OpenSqlAsync(resolver.ConfigOf(actor), cancellationToken);
        }
        catch (Exception ex) when (ex is ConfigException or ConnectorUnavailableException or DbException)
        {
            return TaskOutcome.Failed($"cannot connect to '{actor.Name}': {ex.Message}");
        }

        await using (connection)
        {
            await using var transaction = task.Transaction ? await connection.BeginTransactionAsync(cancellationToken) : null;
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = transaction;
            command.CommandTimeout = 0;
            int affected;
            try
            {
                affected = await command.ExecuteNonQueryAsync(cancellationToken);
                if (transaction is not null)
                    await transaction.CommitAsync(cancellationToken);
            }
            catch (DbException ex)
            {
                // Disposing the uncommitted transaction rolls it back; say so, since that is what the user needs to know.
                Write(log, transaction is null ? $"failed: {ex.Message}" : $"failed, rolled back: {ex.Message}");
                return TaskOutcome.Failed(ex.Message);
            }

            Write(log, $"done; {affected} rows affected");
            return TaskOutcome.Succeeded($"{affected} rows affected");
        }
    }

    private async Task<Actor?> TargetAsync(string dag, SqlTaskDefinition task, CancellationToken cancellationToken)
    {
        var workspaceId = await DagWorkspace.OfAsync(store, dag, cancellationToken);
        return task.TargetKind switch
        {
            SqlTargetKind.Source => await store.Actors.FindByNameAsync(workspaceId, ActorKind.Source, task.Target, cancellationToken),
            SqlTargetKind.Destination => await store.Actors.FindByNameAsync(workspaceId, ActorKind.Destination, task.Target, cancellationToken),
            _ => await store.Connections.FindByNameAsync(workspaceId, task.Target, cancellationToken) is { } c
                ? await store.Actors.GetAsync(c.DestinationId, cancellationToken)
                : null,
        };
    }

    private void Write(ILogSink log, string text) => log.Write(new TaskLogLine(time.GetUtcNow(), TaskLogStream.System, text));
}
