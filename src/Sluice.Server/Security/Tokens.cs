using System.Security.Cryptography;
using System.Text;

namespace Sluice.Server.Security;

/// <summary>Random bearer secrets and their stored form. A token is shown once; only its SHA-256 is kept.</summary>
public static class Tokens
{
    public const string ApiPrefix = "slu_";
    public const string SessionPrefix = "sls_";

    /// <summary>32 random bytes, base64url, behind a prefix that makes leaked tokens easy to recognise and scan for.</summary>
    public static string New(string prefix) => prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
