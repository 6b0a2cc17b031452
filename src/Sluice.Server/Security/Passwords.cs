using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Sluice.Metadata.Identity;

namespace Sluice.Server.Security;

/// <summary>Password hashing by ASP.NET Core Identity (PBKDF2-HMAC-SHA512, 100,000 iterations, salted) and the password rule.</summary>
public static class Passwords
{
    public const int MinimumLength = 12;
    private static readonly PasswordHasher<User> Hasher = new();

    public static string Hash(string password) => Hasher.HashPassword(null!, password);

    public static bool Verify(string hash, string password, out bool rehash)
    {
        var result = Hasher.VerifyHashedPassword(null!, hash, password);
        rehash = result == PasswordVerificationResult.SuccessRehashNeeded;
        return result != PasswordVerificationResult.Failed;
    }

    /// <summary>Null when acceptable, else what is wrong (for a validation error on the password field).</summary>
    public static string? Problem(string? password) =>
        string.IsNullOrEmpty(password) || password.Length < MinimumLength ? $"must be at least {MinimumLength} characters" : null;

    public static string Generate() => Tokens.Base64Url(RandomNumberGenerator.GetBytes(18));
}
