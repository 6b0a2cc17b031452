using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace Sluice.Server.Api;

/// <summary>
/// A 200 with <paramref name="value"/> as JSON, serialized in one synchronous pass into the response's buffer and
/// flushed once. TypedResults.Ok goes through the resumable async serializer, whose per-property frame bookkeeping was
/// most of a 100-item list's serialization time. A page is bounded (<see cref="PageQuery.MaxLimit"/> items), so
/// buffering it whole is too. Declares the same OpenAPI response as <c>Ok&lt;T&gt;</c>.
/// </summary>
public sealed class JsonBody<T>(T value, JsonTypeInfo<T> typeInfo) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<T>
{
    public T Value => value;

    object? IValueHttpResult.Value => value;

    public int? StatusCode => StatusCodes.Status200OK;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        await using (var writer = new Utf8JsonWriter(response.BodyWriter))
            JsonSerializer.Serialize(writer, value, typeInfo);
        await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
}
