using System.Text.Json.Nodes;
using Sluice.Core.Config;

namespace Sluice.Connectors.Sample;

internal sealed record SampleConfig(long Customers, long Products, long Orders, long Seed, int BatchRows)
{
    public static SampleConfig From(JsonObject config) => new(
        JsonNumbers.Int64(config["customers"]) ?? 1000,
        JsonNumbers.Int64(config["products"]) ?? 100,
        JsonNumbers.Int64(config["orders"]) ?? 10_000,
        JsonNumbers.Int64(config["seed"]) ?? 42,
        JsonNumbers.Int32(config["batch_rows"]) ?? 8192);
}
