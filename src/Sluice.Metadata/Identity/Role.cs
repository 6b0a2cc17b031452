namespace Sluice.Metadata.Identity;

/// <summary>What a user may do in one workspace; each role includes the ones below it (the numeric order is the rank).</summary>
public enum Role
{
    /// <summary>Read definitions, jobs and logs.</summary>
    Viewer = 1,
    /// <summary>Change definitions and run syncs.</summary>
    Editor = 2,
    /// <summary>Manage users, tokens and settings.</summary>
    Admin = 3,
}
