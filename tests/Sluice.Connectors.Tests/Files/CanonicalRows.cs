using Apache.Arrow;
using Sluice.Connectors.Tests.Compliance;
using Sluice.Core.Batches;
using Sluice.Core.Types;

namespace Sluice.Connectors.Tests.Files;

/// <summary>A batch's rows as canonical text per column, typed by each field's logical type.</summary>
internal static class CanonicalRows
{
    public static IEnumerable<Dictionary<string, string?>> Of(RecordBatch batch)
    {
        var fields = batch.Schema.FieldsList;
        for (var row = 0; row < batch.Length; row++)
            yield return fields.Select((f, c) => (f.Name, ValueCanon.Of(ArrowTypes.LogicalTypeOf(f), ArrowValues.Get(batch.Column(c), row))))
                .ToDictionary(p => p.Name, p => p.Item2);
    }
}
