using Dapper;
using Sluice.Metadata.Orchestration;
using static Sluice.Metadata.Relational.Database;

namespace Sluice.Metadata.Relational;

internal sealed class DagStore(Database db) : IDagStore
{
    private const string Select = "SELECT name, workspace_id, paused, current_version, created_at, updated_at FROM dags";

    public Task<DagApplyResult> ApplyAsync(Guid workspaceId, string name, string definition, CancellationToken cancellationToken = default) =>
        ApplyAsync(workspaceId, name, definition, (int?)null, cancellationToken);

    public Task<DagApplyResult> ApplyAsync(Guid workspaceId, string name, string definition, int expectedVersion, CancellationToken cancellationToken = default) =>
        ApplyAsync(workspaceId, name, definition, (int?)expectedVersion, cancellationToken);

    public async Task<DagApplyResult> ApplyAsync(string name, string definition, CancellationToken cancellationToken = default) =>
        await ApplyAsync(await DefaultWorkspaceAsync(cancellationToken), name, definition, (int?)null, cancellationToken);

    public async Task<DagApplyResult> ApplyAsync(string name, string definition, int expectedVersion, CancellationToken cancellationToken = default) =>
        await ApplyAsync(await DefaultWorkspaceAsync(cancellationToken), name, definition, (int?)expectedVersion, cancellationToken);

    private async Task<Guid> DefaultWorkspaceAsync(CancellationToken cancellationToken) =>
        (await new WorkspaceStore(db).GetOrCreateDefaultAsync(cancellationToken)).Id;

    private Task<DagApplyResult> ApplyAsync(Guid workspaceId, string name, string definition, int? expectedVersion, CancellationToken cancellationToken) =>
        db.WriteAsync(async (c, tx) =>
        {
            var now = db.Now();
            var existing = await QuerySingleAsync(c, Command($"{Select} WHERE name = @name", new { name }, tx, cancellationToken)) is { } row ? Map(row) : null;
            // Names are unique across workspaces (runs refer to a DAG by name), so another workspace's DAG is a taken name.
            if (existing is not null && existing.WorkspaceId != workspaceId)
                throw new DuplicateNameException("dag", name);
            // Checked inside the write transaction, so two editors updating from the same version cannot both win.
            if (expectedVersion is { } expected && existing?.CurrentVersion != expected)
                throw existing is null ? new NotFoundException("dag", name) : new ConcurrencyException("dag", name, expected);
            if (existing is not null)
            {
                var current = await c.ExecuteScalarAsync<string?>(Command(
                    "SELECT definition FROM dag_versions WHERE dag = @name AND version = @version", new { name, version = existing.CurrentVersion }, tx, cancellationToken));
                if (current == definition)
                    return new DagApplyResult(existing, Created: false, Changed: false);
            }
            var version = (existing?.CurrentVersion ?? 0) + 1;
            if (existing is null)
                await c.ExecuteAsync(Command("INSERT INTO dags (name, workspace_id, paused, current_version, created_at, updated_at) VALUES (@name, @workspaceId, @paused, 1, @now, @now)",
                    new { name, workspaceId, paused = false, now }, tx, cancellationToken));
            else
                await c.ExecuteAsync(Command("UPDATE dags SET current_version = @version, updated_at = @now WHERE name = @name", new { name, version, now }, tx, cancellationToken));
            await c.ExecuteAsync(Command("INSERT INTO dag_versions (dag, version, definition, created_at) VALUES (@name, @version, @definition, @now)",
                new { name, version, definition, now }, tx, cancellationToken));
            var dag = existing is null ? new DagRecord(name, false, 1, now, now) { WorkspaceId = workspaceId } : existing with { CurrentVersion = version, UpdatedAt = now };
            return new DagApplyResult(dag, Created: existing is null, Changed: true);
        }, cancellationToken);

    public Task<DagRecord?> GetAsync(string name, CancellationToken cancellationToken = default) =>
        db.ReadAsync(async c => await QuerySingleAsync(c, Command($"{Select} WHERE name = @name", new { name }, null, cancellationToken)) is { } row ? Map(row) : null,
            cancellationToken);

    public Task<IReadOnlyList<DagRecord>> ListAsync(CancellationToken cancellationToken = default) =>
        db.ReadAsync<IReadOnlyList<DagRecord>>(async c => (await QueryAsync(c, Command($"{Select} ORDER BY name", null, null, cancellationToken))).Select(Map).ToList(),
            cancellationToken);

    public Task<IReadOnlyList<DagRecord>> ListAsync(int limit, string? afterName, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return db.ReadAsync<IReadOnlyList<DagRecord>>(async c => (await QueryAsync(c, Command(
            $"{Select} {(afterName is null ? "" : "WHERE name > @afterName")} ORDER BY name LIMIT @limit", new { afterName, limit }, null, cancellationToken))).Select(Map).ToList(),
            cancellationToken);
    }

    public Task<IReadOnlyList<DagRecord>> ListAsync(Guid workspaceId, int limit, string? afterName, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return db.ReadAsync<IReadOnlyList<DagRecord>>(async c => (await QueryAsync(c, Command(
            $"{Select} WHERE workspace_id = @workspaceId {(afterName is null ? "" : "AND name > @afterName")} ORDER BY name LIMIT @limit",
            new { workspaceId, afterName, limit }, null, cancellationToken))).Select(Map).ToList(), cancellationToken);
    }

    public Task<DagVersionRecord?> GetVersionAsync(string name, int version, CancellationToken cancellationToken = default) =>
        db.ReadAsync(async c => await QuerySingleAsync(c, Command(
            "SELECT dag, version, definition, created_at FROM dag_versions WHERE dag = @name AND version = @version", new { name, version }, null, cancellationToken)) is { } row
            ? MapVersion(row)
            : null, cancellationToken);

    public Task<IReadOnlyList<DagVersionRecord>> ListVersionsAsync(string name, CancellationToken cancellationToken = default) =>
        db.ReadAsync<IReadOnlyList<DagVersionRecord>>(async c => (await QueryAsync(c, Command(
            "SELECT dag, version, definition, created_at FROM dag_versions WHERE dag = @name ORDER BY version", new { name }, null, cancellationToken))).Select(MapVersion).ToList(),
            cancellationToken);

    public async Task<bool> SetPausedAsync(string name, bool paused, CancellationToken cancellationToken = default) =>
        await db.WriteAsync((c, tx) => c.ExecuteAsync(Command("UPDATE dags SET paused = @paused, updated_at = @now WHERE name = @name",
            new { name, paused, now = db.Now() }, tx, cancellationToken)), cancellationToken) > 0;

    private static DagRecord Map(Row row) =>
        new(row.String("name"), row.Bool("paused"), row.Int("current_version"), row.Time("created_at"), row.Time("updated_at"))
        {
            WorkspaceId = row.IsNull("workspace_id") ? Guid.Empty : row.Guid("workspace_id"),
        };

    private static DagVersionRecord MapVersion(Row row) =>
        new(row.String("dag"), row.Int("version"), row.String("definition"), row.Time("created_at"));
}
