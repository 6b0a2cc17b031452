using System.Text.Json.Nodes;
using Sluice.Core.Config;
using Sluice.Core.Connectors;

namespace Sluice.Server.Secrets;

/// <summary>
/// Encrypts the secret fields of connector configs before they are stored (<see cref="Seal"/>) and decrypts them for
/// connectors only (<see cref="Reveal"/>). A sealed field is <c>{"$secret": "v1:..."}</c>; references such as
/// <c>${env:X}</c> are not secrets themselves and stay as written.
/// </summary>
public sealed class SecretVault(MasterKeyRing ring, string dataDir, string? environmentKey)
{
    public const string EnvelopeField = "$secret";
    private MasterKeyRing _ring = ring;

    public string CurrentKeyId => _ring.CurrentId;

    public JsonObject Seal(JsonObject config, ConnectorSpec spec)
    {
        var copy = (JsonObject)config.DeepClone();
        foreach (var path in spec.SecretPaths())
        {
            var segments = path.Split('.');
            JsonNode? parent = copy;
            foreach (var segment in segments[..^1])
                parent = parent is JsonObject o ? o[segment] : null;
            if (parent is JsonObject target && target[segments[^1]] is JsonValue v && v.TryGetValue<string>(out var text)
                && text != SecretMasker.Mask && !ConfigReferences.HasReference(text))
                target[segments[^1]] = new JsonObject { [EnvelopeField] = SecretCipher.Encrypt(text, _ring.CurrentId, _ring.Current) };
        }
        return copy;
    }

    /// <summary>A copy with every sealed field, wherever it is, replaced by its plaintext.</summary>
    public JsonObject Reveal(JsonObject config) => (JsonObject)Map(config, Decrypt)!;

    /// <summary>A copy with every sealed field re-encrypted under the current key; true in <paramref name="changed"/> if any was under another key.</summary>
    public JsonObject Reseal(JsonObject config, out bool changed)
    {
        var any = false;
        var result = (JsonObject)Map(config, envelope =>
        {
            if (SecretCipher.KeyIdOf(envelope) == _ring.CurrentId)
                return null;
            any = true;
            return SecretCipher.Encrypt(Decrypt(envelope), _ring.CurrentId, _ring.Current);
        }, keepEnvelope: true)!;
        changed = any;
        return result;
    }

    public static bool IsEnvelope(JsonNode? node) => node is JsonObject { Count: 1 } o && o[EnvelopeField] is JsonValue;

    private string Decrypt(string envelope)
    {
        var keyId = SecretCipher.KeyIdOf(envelope);
        if (!_ring.TryGet(keyId, out var key))
        {
            // Another process may have rotated the key since this one started: reread the ring once.
            _ring = MasterKeyRing.Load(dataDir, environmentKey);
            if (!_ring.TryGet(keyId, out key))
                throw new InvalidOperationException($"a stored secret is encrypted under master key {keyId}, which this server does not have; restore that key in master.key");
        }
        return SecretCipher.Decrypt(envelope, key);
    }

    private static JsonNode? Map(JsonNode? node, Func<string, string?> transform, bool keepEnvelope = false) => node switch
    {
        _ when IsEnvelope(node) => transform(node!.AsObject()[EnvelopeField]!.GetValue<string>()) is { } text
            ? keepEnvelope ? new JsonObject { [EnvelopeField] = text } : JsonValue.Create(text)
            : node!.DeepClone(),
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Map(p.Value, transform, keepEnvelope)))),
        JsonArray a => new JsonArray(a.Select(i => Map(i, transform, keepEnvelope)).ToArray()),
        _ => node?.DeepClone(),
    };

    public void Reload() => _ring = MasterKeyRing.Load(dataDir, environmentKey);
}
