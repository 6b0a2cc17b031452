using System.Security.Cryptography;
using System.Text;

namespace Sluice.Server.Secrets;

/// <summary>AES-256-GCM over one secret string: <c>v1:&lt;key-id&gt;:&lt;base64 nonce+ciphertext+tag&gt;</c>. The key id is bound as associated data.</summary>
public static class SecretCipher
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public static string Encrypt(string plaintext, string keyId, byte[] key)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + plain.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceSize, plain.Length), output.AsSpan(NonceSize + plain.Length), Aad(keyId));
        return $"v1:{keyId}:{Convert.ToBase64String(output)}";
    }

    public static string KeyIdOf(string envelope) => Parse(envelope).KeyId;

    public static string Decrypt(string envelope, byte[] key)
    {
        var (keyId, data) = Parse(envelope);
        if (data.Length < NonceSize + TagSize)
            throw new CryptographicException("secret envelope is too short");
        var plain = new byte[data.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(data.AsSpan(0, NonceSize), data.AsSpan(NonceSize, plain.Length), data.AsSpan(NonceSize + plain.Length), plain, Aad(keyId));
        return Encoding.UTF8.GetString(plain);
    }

    private static (string KeyId, byte[] Data) Parse(string envelope)
    {
        var parts = envelope.Split(':');
        if (parts is not ["v1", var keyId, var data])
            throw new CryptographicException("unknown secret envelope format");
        return (keyId, Convert.FromBase64String(data));
    }

    private static byte[] Aad(string keyId) => Encoding.UTF8.GetBytes($"sluice-secret-v1:{keyId}");
}
