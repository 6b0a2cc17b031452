using Sluice.Core.Catalog;
using Sluice.Core.Connectors;
using Sluice.Core.Destinations;
using Sluice.Core.State;
using Sluice.Core.Types;

namespace Sluice.Connectors.MySql;

/// <summary>
/// One destination table and where its rows go while a sync runs: straight into the table for append, into a
/// staging table that replaces it at the end for overwrite.
/// </summary>
internal sealed class MySqlTarget
{
    public const string StagingPrefix = "_sluice_tmp_";
    public const string OldPrefix = "_sluice_old_";

    public MySqlTarget(ConfiguredStream stream, string defaultDatabase)
    {
        Stream = stream;
        Database = stream.DestinationNamespace ?? defaultDatabase;
        Table = stream.TargetName;
        if (Table.Length > MySqlIdentifiers.MaxLength)
            throw new ConfigException($"streams.{stream.Descriptor.Name}", $"destination table name '{Table}' is longer than MySQL's 64 characters",
                "set a shorter destination name");
        Overwrite = stream.DestinationSyncMode is DestinationSyncMode.Overwrite or DestinationSyncMode.OverwriteDedup;
        LoadTable = Overwrite ? MySqlIdentifiers.Helper(StagingPrefix, Table) : Table;
        Dedup = DedupPlan.For(stream) is { } plan ? new MySqlDedup(this, plan) : null;
    }

    /// <summary>The merge of deduped modes; null for overwrite and append.</summary>
    public MySqlDedup? Dedup { get; }

    public ConfiguredStream Stream { get; }
    public string Database { get; }
    public string Table { get; }
    public string LoadTable { get; }
    public bool Overwrite { get; }

    /// <summary>The load table exists with these columns (metadata columns not included).</summary>
    public IReadOnlyList<ColumnSchema>? Columns { get; set; }
    /// <summary>Indexes of the batch columns that are loaded: all except incoming fields named like Sluice's metadata columns.</summary>
    public IReadOnlyList<int> BatchColumns { get; set; } = [];
    /// <summary>The source said something about this stream, so it is finished (swapped, created) at the end.</summary>
    public bool Seen { get; set; }
    public bool Finished { get; set; }
    /// <summary>Checkpoints that wait for the overwrite swap: before it their rows are not in the real table.</summary>
    public List<Checkpoint> Pending { get; } = [];

    public string QuotedLoadTable => MySqlIdentifiers.Quote(Database, LoadTable);

    public IReadOnlyList<string> KeyColumns => Stream.PrimaryKey.Where(k => k.Count > 0).Select(k => k[0]).ToList();

    /// <summary>The table's columns when no batch arrived to show them: the catalog's, with the stream's mappings applied.</summary>
    public IReadOnlyList<ColumnSchema> CatalogColumns()
    {
        var result = new List<ColumnSchema>();
        foreach (var column in Stream.ReadColumns())
        {
            var mapping = Stream.Mappings.FirstOrDefault(m => m.Column == column.Name);
            result.Add(mapping?.Kind switch
            {
                ColumnMappingKind.Rename when mapping.NewName is not null => column with { Name = mapping.NewName },
                ColumnMappingKind.Hash or ColumnMappingKind.Mask => column with { Type = LogicalType.String },
                _ => column,
            });
        }
        return result.Where(c => !WriteContext.IsMetadataColumn(c.Name)).ToList();
    }
}
