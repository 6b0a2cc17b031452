using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sluice.Server.Api;

/// <summary>
/// Serialization code generated at build time for the hottest responses (the same JSON the web defaults give), so they
/// are written without reflection-driven metadata and without the resumable async writer (see <see cref="JsonBody{T}"/>).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Page<ConnectionSummary>))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
