using Sluice.Core.Batches;
using Sluice.Core.Catalog;
using Sluice.Core.Types;

namespace Sluice.Connectors.Sample;

/// <summary>The three generated e-commerce streams: their schemas and how to generate row <c>id</c> of each.</summary>
internal static class SampleStreams
{
    private static readonly string[] FirstNames = ["Ada", "Alan", "Grace", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Frances", "Edsger", "Zoë", "José", "Søren", "Łukasz", "Chloé", "美咲"];
    private static readonly string[] LastNames = ["Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie", "Allen", "Dijkstra", "Müller", "O'Brien", "García", "Nakamura"];
    private static readonly string[] Countries = ["DE", "FR", "US", "GB", "JP", "BR", "IN", "ES", "IT", "NL"];
    private static readonly string[] Categories = ["books", "games", "garden", "kitchen", "music", "outdoor", "toys", "tools"];
    private static readonly string[] Adjectives = ["Small", "Large", "Red", "Blue", "Quiet", "Fast", "Classic", "Smart"];
    private static readonly string[] Nouns = ["Lamp", "Chair", "Kettle", "Drill", "Guitar", "Puzzle", "Tent", "Novel"];
    private static readonly string[] Statuses = ["new", "paid", "shipped", "delivered", "cancelled"];
    private static readonly DateTime Epoch = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static readonly StreamSchema Customers = Stream("customers",
        new("id", LogicalType.Int64, false, "bigint"),
        new("name", LogicalType.String, false, "text"),
        new("email", LogicalType.String, false, "text"),
        new("country", LogicalType.String, true, "text"),
        new("is_vip", LogicalType.Boolean, false, "boolean"),
        new("created_at", LogicalType.TimestampTz, false, "timestamptz"));

    public static readonly StreamSchema Products = Stream("products",
        new("id", LogicalType.Int64, false, "bigint"),
        new("sku", LogicalType.String, false, "text"),
        new("name", LogicalType.String, false, "text"),
        new("category", LogicalType.String, false, "text"),
        new("price", LogicalType.Decimal(10, 2), false, "numeric(10,2)"),
        new("created_at", LogicalType.TimestampTz, false, "timestamptz"));

    public static readonly StreamSchema Orders = Stream("orders",
        new("id", LogicalType.Int64, false, "bigint"),
        new("customer_id", LogicalType.Int64, false, "bigint"),
        new("product_id", LogicalType.Int64, false, "bigint"),
        new("quantity", LogicalType.Int32, false, "integer"),
        new("amount", LogicalType.Decimal(12, 2), false, "numeric(12,2)"),
        new("status", LogicalType.String, false, "text"),
        new("note", LogicalType.String, true, "text"),
        new("created_at", LogicalType.TimestampTz, false, "timestamptz"));

    public static readonly IReadOnlyList<StreamSchema> All = [Customers, Products, Orders];

    private static StreamSchema Stream(string name, params ColumnSchema[] columns) => new()
    {
        Descriptor = new StreamDescriptor(name),
        Columns = columns,
        SupportedSyncModes = [SyncMode.FullRefresh, SyncMode.Incremental],
        PrimaryKey = [["id"]],
        DefaultCursorField = ["id"],
        CursorCandidates = ["id", "created_at"],
    };

    /// <summary>Values of row <paramref name="id"/> by column name; null for SQL NULL.</summary>
    public static object? Value(string stream, string column, long id, SampleConfig config)
    {
        var seed = config.Seed;
        switch (stream, column)
        {
            case (_, "id"): return id;
            case ("customers", "name"): return $"{SampleRandom.Pick(seed, 1, id, 1, FirstNames)} {SampleRandom.Pick(seed, 1, id, 2, LastNames)}";
            case ("customers", "email"): return $"customer{id}@example.com";
            case ("customers", "country"): return id % 17 == 0 ? null : SampleRandom.Pick(seed, 1, id, 3, Countries);
            case ("customers", "is_vip"): return SampleRandom.Next(seed, 1, id, 4) % 10 == 0;
            case ("products", "sku"): return $"SKU-{id:D6}";
            case ("products", "name"): return $"{SampleRandom.Pick(seed, 2, id, 1, Adjectives)} {SampleRandom.Pick(seed, 2, id, 2, Nouns)}";
            case ("products", "category"): return SampleRandom.Pick(seed, 2, id, 3, Categories);
            case ("products", "price"): return SampleRandom.Between(seed, 2, id, 4, 99, 99_999) / 100m;
            case ("orders", "customer_id"): return SampleRandom.Between(seed, 3, id, 1, 1, Math.Max(1, config.Customers));
            case ("orders", "product_id"): return SampleRandom.Between(seed, 3, id, 2, 1, config.Products);
            case ("orders", "quantity"): return (int)SampleRandom.Between(seed, 3, id, 3, 1, 5);
            case ("orders", "amount"):
                var productId = SampleRandom.Between(seed, 3, id, 2, 1, config.Products);
                return SampleRandom.Between(seed, 2, productId, 4, 99, 99_999) / 100m * (int)SampleRandom.Between(seed, 3, id, 3, 1, 5);
            case ("orders", "status"): return SampleRandom.Pick(seed, 3, id, 4, Statuses);
            case ("orders", "note"): return id % 5 == 0 ? $"gift wrap 🎁 #{id}" : null;
            case (_, "created_at"):
                var streamIndex = stream switch { "customers" => 1, "products" => 2, _ => 3 };
                return new DateTimeOffset(Epoch.AddSeconds(id * 60 + SampleRandom.Between(seed, streamIndex, id, 9, 0, 59)));
            default: throw new ArgumentException($"unknown sample column {stream}.{column}");
        }
    }

    public static long RowCount(string stream, SampleConfig config) => stream switch
    {
        "customers" => config.Customers,
        "products" => config.Products,
        "orders" => config.Orders,
        _ => 0,
    };

    public static void Append(RecordBatchBuilder builder, int column, object? value)
    {
        switch (value)
        {
            case null: builder[column].AppendNull(); break;
            case long l: builder[column].Append(l); break;
            case int i: builder[column].Append(i); break;
            case bool b: builder[column].Append(b); break;
            case decimal d: builder[column].Append(d); break;
            case string s: builder[column].Append(s); break;
            case DateTimeOffset t: builder.AppendTimestamp(column, t); break;
            default: builder.AppendValue(column, value); break;
        }
    }
}
