using System.Data.Common;
using Dapper;
using Sluice.Core.Model;
using static Sluice.Metadata.Relational.Database;

namespace Sluice.Metadata.Relational;

internal sealed class WorkspaceStore(Database db) : IWorkspaceStore
{
    private const string Select = "SELECT id, name, created_at FROM workspaces";

    public async Task<Workspace> GetOrCreateDefaultAsync(CancellationToken cancellationToken = default)
    {
        if (await FindByNameAsync(Workspace.DefaultName, cancellationToken) is { } existing)
            return existing;
        // ON CONFLICT DO NOTHING: two processes starting together must still end up with a single default workspace.
        return await db.WriteAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(Command(
                "INSERT INTO workspaces (id, name, created_at) VALUES (@id, @name, @now) ON CONFLICT (name) DO NOTHING",
                new { id = Guid.CreateVersion7(db.Now()), name = Workspace.DefaultName, now = db.Now() }, transaction, cancellationToken));
            var row = await QuerySingleAsync(connection, Command($"{Select} WHERE name = @name", new { name = Workspace.DefaultName }, transaction, cancellationToken));
            return Map(row!.Value);
        }, cancellationToken);
    }

    public async Task<Workspace> CreateAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var workspace = new Workspace(Guid.CreateVersion7(db.Now()), name, db.Now());
        try
        {
            await db.WriteAsync((connection, transaction) => connection.ExecuteAsync(Command(
                "INSERT INTO workspaces (id, name, created_at) VALUES (@Id, @Name, @CreatedAt)", workspace, transaction, cancellationToken)), cancellationToken);
        }
        catch (DbException e) when (db.Dialect.IsUniqueViolation(e))
        {
            throw new DuplicateNameException("workspace", name);
        }
        return workspace;
    }

    public Task<Workspace?> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        SingleAsync($"{Select} WHERE id = @id", new { id }, cancellationToken);

    public Task<Workspace?> FindByNameAsync(string name, CancellationToken cancellationToken = default) =>
        SingleAsync($"{Select} WHERE name = @name", new { name }, cancellationToken);

    public Task<IReadOnlyList<Workspace>> ListAsync(CancellationToken cancellationToken = default) =>
        db.ReadAsync<IReadOnlyList<Workspace>>(async connection =>
            (await QueryAsync(connection, Command($"{Select} ORDER BY name", null, null, cancellationToken))).Select(Map).ToList(), cancellationToken);

    private Task<Workspace?> SingleAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        db.ReadAsync(async connection =>
            await QuerySingleAsync(connection, Command(sql, parameters, null, cancellationToken)) is { } row ? Map(row) : null, cancellationToken);

    private static Workspace Map(Row row) => new(row.Guid("id"), row.String("name"), row.Time("created_at"));
}
