namespace Sluice.Core.Catalog;

public sealed record ConfiguredCatalog(IReadOnlyList<ConfiguredStream> Streams)
{
    public ConfiguredStream? Find(StreamDescriptor descriptor) => Streams.FirstOrDefault(s => s.Descriptor == descriptor);

    /// <summary>Selects every stream of a discovered catalog with its defaults: full refresh, overwrite.</summary>
    public static ConfiguredCatalog AllStreams(SourceCatalog catalog,
        DestinationSyncMode destinationSyncMode = DestinationSyncMode.Overwrite) =>
        new(catalog.Streams.Select(s => new ConfiguredStream
        {
            Stream = s,
            SyncMode = SyncMode.FullRefresh,
            DestinationSyncMode = destinationSyncMode,
            PrimaryKey = s.PrimaryKey,
        }).ToList());
}
