using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.Server.Secrets;

/// <summary>
/// The master keys secrets are encrypted under, by key id. New secrets use <see cref="CurrentId"/>; older ids stay
/// readable so <c>sluice secrets rotate-key</c> can re-encrypt while servers keep running. Keys come from
/// SLUICE_MASTER_KEY (base64 of 32 bytes) or the key file <c>&lt;data-dir&gt;/master.key</c>, created owner-only on first start.
/// </summary>
public sealed class MasterKeyRing
{
    public const string EnvironmentVariable = "SLUICE_MASTER_KEY";
    private readonly Dictionary<string, byte[]> _keys;

    private MasterKeyRing(string currentId, Dictionary<string, byte[]> keys, string? file)
    {
        CurrentId = currentId;
        _keys = keys;
        File = file;
    }

    public string CurrentId { get; }
    public byte[] Current => _keys[CurrentId];
    /// <summary>The key file, or null when the key came from the environment.</summary>
    public string? File { get; }
    public IReadOnlyCollection<string> Ids => _keys.Keys;

    public bool TryGet(string id, out byte[] key) => _keys.TryGetValue(id, out key!);

    public static string IdOf(byte[] key) => Convert.ToHexStringLower(SHA256.HashData(key))[..8];

    /// <summary>The ring for a data directory: the environment key if set (plus any keys in the file), else the key file, created if missing.</summary>
    public static MasterKeyRing Load(string dataDir, string? environmentKey)
    {
        var path = Path.Combine(dataDir, "master.key");
        if (!string.IsNullOrWhiteSpace(environmentKey))
        {
            byte[] key;
            try
            {
                key = Convert.FromBase64String(environmentKey.Trim());
            }
            catch (FormatException)
            {
                throw new InvalidOperationException($"{EnvironmentVariable} must be the base64 of 32 random bytes (e.g. openssl rand -base64 32)");
            }
            if (key.Length != 32)
                throw new InvalidOperationException($"{EnvironmentVariable} must be the base64 of 32 random bytes; it decodes to {key.Length}");
            var keys = System.IO.File.Exists(path) ? ReadFile(path).Keys : [];
            keys[IdOf(key)] = key;
            return new MasterKeyRing(IdOf(key), keys, null);
        }
        if (!System.IO.File.Exists(path))
            WriteFile(path, CreateKey(out var id), id, new Dictionary<string, byte[]>());
        var (current, all) = ReadFile(path);
        return new MasterKeyRing(current, all, path);
    }

    /// <summary>Adds a fresh key to the key file and makes it current; the old keys stay for reading.</summary>
    public static MasterKeyRing Rotate(MasterKeyRing ring)
    {
        if (ring.File is null)
            throw new InvalidOperationException($"the master key comes from {EnvironmentVariable}; rotate it by writing the old key into master.key and setting a new {EnvironmentVariable}");
        var keys = new Dictionary<string, byte[]>(ring._keys);
        var key = CreateKey(out var id);
        WriteFile(ring.File, key, id, keys);
        return Load(Path.GetDirectoryName(ring.File)!, null);
    }

    private static byte[] CreateKey(out string id)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        id = IdOf(key);
        return key;
    }

    private static void WriteFile(string path, byte[] key, string id, Dictionary<string, byte[]> keys)
    {
        keys[id] = key;
        var json = new JsonObject
        {
            ["current"] = id,
            ["keys"] = new JsonObject(keys.Select(k => KeyValuePair.Create(k.Key, (JsonNode?)Convert.ToBase64String(k.Value)))),
        };
        // Write a sibling then rename, so a reader never sees half a file; the new file is owner-only from its creation.
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options))
            JsonSerializer.Serialize(stream, json);
        System.IO.File.Move(temp, path, overwrite: true);
    }

    private static (string Current, Dictionary<string, byte[]> Keys) ReadFile(string path)
    {
        var json = JsonNode.Parse(System.IO.File.ReadAllText(path)) as JsonObject
            ?? throw new InvalidOperationException($"{path} is not a Sluice key file");
        var keys = (json["keys"] as JsonObject ?? []).ToDictionary(k => k.Key, k => Convert.FromBase64String(k.Value!.GetValue<string>()));
        var current = json["current"]?.GetValue<string>() ?? throw new InvalidOperationException($"{path} names no current key");
        return keys.ContainsKey(current) ? (current, keys) : throw new InvalidOperationException($"{path}: current key {current} is missing");
    }
}
