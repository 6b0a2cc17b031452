namespace Sluice.Metadata;

/// <summary>An update carried a stale version: someone changed the row since it was read.</summary>
public sealed class ConcurrencyException(string entity, string key, int expectedVersion)
    : Exception($"{entity} {key} was changed by someone else (expected version {expectedVersion}); reload it and apply your change again")
{
    public ConcurrencyException(string entity, Guid id, int expectedVersion)
        : this(entity, id.ToString(), expectedVersion)
    {
    }
}

public sealed class DuplicateNameException(string entity, string name)
    : Exception($"a {entity} named '{name}' already exists; choose another name or update the existing one");

public sealed class InUseException(string entity, string name, string usedBy)
    : Exception($"{entity} '{name}' is used by {usedBy}; delete or change those first");

public sealed class NotFoundException(string entity, string key)
    : Exception($"{entity} '{key}' does not exist");

/// <summary>The database was migrated by a newer Sluice; this build would misread or damage it.</summary>
public sealed class SchemaVersionException(int databaseVersion, int supportedVersion)
    : Exception($"metadata schema version {databaseVersion} is newer than this Sluice build supports ({supportedVersion}); upgrade Sluice")
{
    public int DatabaseVersion { get; } = databaseVersion;
    public int SupportedVersion { get; } = supportedVersion;
}

/// <summary>A scheduler wrote with a fencing token that is no longer the lease's: another scheduler has taken over.</summary>
public sealed class LeaseLostException(long token)
    : Exception($"the scheduler lease moved on (token {token} is stale); another scheduler is active");

/// <summary>A worker wrote under a job claim that is no longer the job's: the job was put back or ended elsewhere.</summary>
public sealed class JobClaimLostException(JobClaim claim)
    : Exception($"job {claim.JobId} is no longer claimed as claim {claim.Number} (declared dead, handed back or ended); this worker stops without writing");

/// <summary>The database lacks migrations this build needs: a process that does not migrate by itself refuses to start.</summary>
public sealed class SchemaNotMigratedException(int databaseVersion, int requiredVersion, IReadOnlyList<int> missing)
    : Exception(databaseVersion == 0
        ? $"the metadata store has no Sluice schema yet (this build needs version {requiredVersion}); run `sluice migrate --store <url>` first"
        : $"metadata schema version {databaseVersion} is older than this Sluice build needs ({requiredVersion}; missing {string.Join(", ", missing.Select(m => m.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)))}); run `sluice migrate --store <url>` first")
{
    public int DatabaseVersion { get; } = databaseVersion;
    public int RequiredVersion { get; } = requiredVersion;
}
