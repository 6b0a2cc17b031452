namespace Sluice.Core.Catalog;

/// <summary>What <c>discover</c> returns: every stream a source offers.</summary>
public sealed record SourceCatalog(IReadOnlyList<StreamSchema> Streams)
{
    public StreamSchema? Find(StreamDescriptor descriptor) =>
        Streams.FirstOrDefault(s => s.Descriptor == descriptor)
        ?? Streams.FirstOrDefault(s => s.Name == descriptor.Name && descriptor.Namespace is null);
}
