using System.Collections.Concurrent;
using Sluice.Metadata.Identity;

namespace Sluice.Server.Security;

/// <summary>
/// Recently validated tokens and sessions with their owner and roles, so a script polling the API costs no metadata reads
/// for authentication. Entries live <see cref="Lifetime"/> at most; revoking a token, signing out, and changing, disabling
/// or deleting a user forget the affected entries at once in this process. Another server process sharing the metadata
/// store sees such a change within <see cref="Lifetime"/>.
/// </summary>
public sealed class CredentialCache(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);
    // Enough for every live token and session of a large install; past it the cache starts over rather than grow.
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public sealed record Entry(ApiToken Token, User User, IReadOnlyList<WorkspaceRole> Roles, DateTimeOffset CachedAt);

    /// <summary>The entry for <paramref name="tokenHash"/> when it was cached less than <see cref="Lifetime"/> ago.</summary>
    public Entry? Find(string tokenHash)
    {
        if (!_entries.TryGetValue(tokenHash, out var entry))
            return null;
        if (time.GetUtcNow() - entry.CachedAt < Lifetime)
            return entry;
        _entries.TryRemove(KeyValuePair.Create(tokenHash, entry));
        return null;
    }

    public void Add(ApiToken token, User user, IReadOnlyList<WorkspaceRole> roles)
    {
        if (_entries.Count >= MaxEntries)
            _entries.Clear();
        _entries[token.TokenHash] = new Entry(token, user, roles, time.GetUtcNow());
    }

    public void ForgetToken(Guid tokenId) => ForgetWhere(e => e.Token.Id == tokenId);

    /// <summary>After any change to the user or their roles: their next request reads them afresh.</summary>
    public void ForgetUser(Guid userId) => ForgetWhere(e => e.User.Id == userId);

    private void ForgetWhere(Func<Entry, bool> match)
    {
        foreach (var (key, entry) in _entries)
        {
            if (match(entry))
                _entries.TryRemove(key, out _);
        }
    }
}
