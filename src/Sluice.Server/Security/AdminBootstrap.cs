using Sluice.Metadata;
using Sluice.Metadata.Identity;

namespace Sluice.Server.Security;

/// <summary>On a store without users, creates <c>admin</c> (admin of the default workspace) so a fresh install can be signed in to.</summary>
public static class AdminBootstrap
{
    public const string AdminName = "admin";
    public const string PasswordVariable = "SLUICE_ADMIN_PASSWORD";

    /// <summary>Returns the generated password when one was made (to print once), null otherwise.</summary>
    public static async Task<string?> EnsureAsync(IMetadataStore store, string? password, CancellationToken cancellationToken = default)
    {
        if (await store.Identity.CountUsersAsync(cancellationToken) > 0)
            return null;
        var generated = string.IsNullOrEmpty(password);
        password = generated ? Passwords.Generate() : password!;
        var workspace = await store.Workspaces.GetOrCreateDefaultAsync(cancellationToken);
        User user;
        try
        {
            user = await store.Identity.CreateUserAsync(new User { Id = Guid.Empty, Name = AdminName, PasswordHash = Passwords.Hash(password) }, cancellationToken);
        }
        catch (DuplicateNameException)
        {
            return null; // another process starting at the same time made it
        }
        await store.Identity.SetRoleAsync(user.Id, workspace.Id, Role.Admin, cancellationToken);
        return generated ? password : null;
    }
}
