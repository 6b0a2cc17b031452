using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Sluice.Core.Connectors;

namespace Sluice.Server.Api;

/// <summary>
/// The query of every list endpoint: <c>limit</c> (1 to <see cref="MaxLimit"/>, default <see cref="DefaultLimit"/>) and
/// <c>cursor</c>, the opaque token of the previous page's <c>nextCursor</c>. Pages are keyset pages (by name, or newest id
/// first), so a row added or removed between two requests neither repeats nor skips another.
/// </summary>
public readonly record struct PageQuery([FromQuery(Name = "limit")] int? Limit, [FromQuery(Name = "cursor")] string? Cursor)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>How many rows to ask the store for: one more than the page, to know whether another page follows.</summary>
    public int Fetch => Size + 1;

    public int Size => Limit switch
    {
        null => DefaultLimit,
        < 1 or > MaxLimit => throw new ConfigException("limit", $"must be between 1 and {MaxLimit}", $"ask for at most {MaxLimit} items and follow 'next' for more"),
        { } n => n,
    };

    /// <summary>The key the cursor carries (a name or an id as text), or null on the first page.</summary>
    public string? After()
    {
        if (string.IsNullOrEmpty(Cursor))
            return null;
        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(Cursor));
        }
        catch (FormatException)
        {
            throw new ConfigException("cursor", "is not a cursor this API handed out", "pass the nextCursor of the previous page unchanged, or omit it for the first page");
        }
    }

    public long? AfterId() => After() is { } text
        ? long.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : throw new ConfigException("cursor", "is not a cursor of this list", "pass the nextCursor of the previous page unchanged")
        : null;

    public Guid? AfterGuid() => After() is { } text
        ? Guid.TryParse(text, out var id) ? id : throw new ConfigException("cursor", "is not a cursor of this list", "pass the nextCursor of the previous page unchanged")
        : null;

    /// <summary>
    /// The page of <paramref name="fetched"/> (asked for with <see cref="Fetch"/>), with the cursor and link of the next
    /// page when there is one; the link keeps the request's other query parameters (workspace, filters).
    /// </summary>
    public Page<T> Page<T>(HttpContext http, IReadOnlyList<T> fetched, Func<T, string> keyOf)
    {
        if (fetched.Count <= Size)
            return new Page<T>(fetched, null, null);
        var items = fetched.Take(Size).ToList();
        var cursor = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(keyOf(items[^1])));
        var query = http.Request.Query.Where(q => q.Key is not ("cursor" or "limit")).ToDictionary(q => q.Key, q => q.Value);
        query["limit"] = Size.ToString(System.Globalization.CultureInfo.InvariantCulture);
        query["cursor"] = cursor;
        return new Page<T>(items, QueryHelpers.AddQueryString(http.Request.PathBase + http.Request.Path, query), cursor);
    }

    /// <summary>Pages a small list held in memory (workspaces, connectors) the same way, by <paramref name="keyOf"/>.</summary>
    public Page<T> PageInMemory<T>(HttpContext http, IEnumerable<T> all, Func<T, string> keyOf)
    {
        var after = After();
        var rest = all.OrderBy(keyOf, StringComparer.Ordinal).Where(x => after is null || string.CompareOrdinal(keyOf(x), after) > 0);
        return Page(http, rest.Take(Fetch).ToList(), keyOf);
    }
}
