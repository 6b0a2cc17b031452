using Microsoft.Data.Sqlite;
using Npgsql;
using Sluice.Metadata.Relational;

namespace Sluice.Metadata.Tests;

public sealed class StoreLocationTests
{
    [Theory]
    [InlineData("postgres://ada:s%40cret%3Ab@db.example.com:6543/sluice?sslmode=require", "db.example.com", 6543, "ada", "s@cret:b", "sluice")]
    [InlineData("postgresql://ada@localhost/meta", "localhost", 5432, "ada", null, "meta")]
    [InlineData("POSTGRES://u:p@[::1]:5433/d", "::1", 5433, "u", "p", "d")]
    [InlineData("Host=pg;Port=5444;Username=u;Password=p;Database=d", "pg", 5444, "u", "p", "d")]
    public void Postgres_urls_and_connection_strings_are_understood(string store, string host, int port, string user, string? password, string database)
    {
        var location = StoreLocation.Parse(store);
        var builder = new NpgsqlConnectionStringBuilder(location.ConnectionString);

        Assert.Equal("postgres", location.Dialect);
        Assert.Equal((host, port, user, password, database), (builder.Host, builder.Port, builder.Username, builder.Password, builder.Database));
    }

    [Fact]
    public void Url_options_reach_the_connection_string()
    {
        var builder = new NpgsqlConnectionStringBuilder(StoreLocation.Parse("postgres://u:p@h/d?sslmode=require&Timeout=7").ConnectionString);

        Assert.Equal((SslMode.Require, 7), (builder.SslMode, builder.Timeout));
    }

    [Fact]
    public void Bad_urls_are_refused_without_showing_the_password()
    {
        var error = Assert.Throws<ArgumentException>(() => StoreLocation.Parse("postgres://u:hunter2@h/d?no_such_option=1"));

        Assert.Contains("no_such_option", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sqlite_paths_prefixes_and_connection_strings_are_understood()
    {
        var folder = Directory.CreateTempSubdirectory("sluice-location-").FullName;
        try
        {
            var path = Path.Combine(folder, "a", "meta.db");
            Assert.Equal(path, DataSource(StoreLocation.Parse(path)));
            Assert.Equal(path, DataSource(StoreLocation.Parse($"sqlite:{path}")));
            Assert.Equal(path, DataSource(StoreLocation.Parse($"sqlite://{path}")));
            Assert.Equal(path, DataSource(StoreLocation.Parse($"Data Source={path};Cache=Private")));
            Assert.True(Directory.Exists(Path.Combine(folder, "a")));
            Assert.Equal(Path.GetFullPath("rel/meta.db"), DataSource(StoreLocation.Parse("sqlite:rel/meta.db")));
        }
        finally
        {
            Directory.Delete(folder, true);
            if (Directory.Exists("rel"))
                Directory.Delete("rel", true);
        }
    }

    private static string DataSource(StoreLocation location)
    {
        Assert.Equal("sqlite", location.Dialect);
        return new SqliteConnectionStringBuilder(location.ConnectionString).DataSource;
    }
}
