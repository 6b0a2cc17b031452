using Sluice.Metadata.Relational.Migrations;

namespace Sluice.Metadata.Tests;

/// <summary>The upgrade rule of Migrations/README.md, checked on every build.</summary>
public sealed class MigrationCatalogTests
{
    [Fact]
    public void Both_dialects_ship_the_same_numbered_migrations()
    {
        var sqlite = MigrationCatalog.For("sqlite").Select(m => (m.Version, m.Name)).ToList();
        var postgres = MigrationCatalog.For("postgres").Select(m => (m.Version, m.Name)).ToList();

        Assert.Equal(new[] { "postgres", "sqlite" }, MigrationCatalog.Dialects.Order());
        Assert.NotEmpty(sqlite);
        Assert.Equal(sqlite, postgres);
        // Numbers are handed out to pieces of work in advance, so one may land before a lower one (a gap); never twice.
        Assert.Equal(sqlite.Select(m => m.Version).Order().Distinct(), sqlite.Select(m => m.Version));
        Assert.Equal((1, "initial"), sqlite[0]);
    }

    [Fact]
    public void Migrations_do_not_manage_their_own_transaction()
    {
        foreach (var dialect in MigrationCatalog.Dialects)
        {
            foreach (var migration in MigrationCatalog.For(dialect))
            {
                var sql = migration.Sql.ToUpperInvariant();
                Assert.False(sql.Contains("BEGIN;", StringComparison.Ordinal) || sql.Contains("COMMIT", StringComparison.Ordinal), $"{dialect}/{migration.Version:D4}_{migration.Name}");
            }
        }
    }
}
