using Sluice.Core.Model;
using Sluice.Metadata;

namespace Sluice.Server.Secrets;

/// <summary>
/// <c>sluice secrets rotate-key</c>: adds a new master key and re-encrypts every stored secret under it. The old key stays in
/// the ring, so servers still running keep reading both while this runs; each actor is updated with its version check.
/// </summary>
public static class SecretRotation
{
    public sealed record Result(string OldKeyId, string NewKeyId, int Reencrypted);

    public static async Task<Result> RotateAsync(IMetadataStore store, string dataDir, string? environmentKey, CancellationToken cancellationToken)
    {
        var old = MasterKeyRing.Load(dataDir, environmentKey);
        var ring = MasterKeyRing.Rotate(old);
        var vault = new SecretVault(ring, dataDir, null);
        var count = 0;
        foreach (var workspace in await store.Workspaces.ListAsync(cancellationToken))
        {
            foreach (var kind in new[] { ActorKind.Source, ActorKind.Destination })
            {
                foreach (var listed in await store.Actors.ListAsync(workspace.Id, kind, cancellationToken))
                {
                    for (var attempt = 0; ; attempt++)
                    {
                        // Someone may change the actor meanwhile: reread and retry rather than overwrite their change.
                        var actor = await store.Actors.GetAsync(listed.Id, cancellationToken);
                        if (actor is null)
                            break;
                        var config = vault.Reseal(actor.Config, out var changed);
                        if (!changed)
                            break;
                        try
                        {
                            await store.Actors.UpdateAsync(actor with { Config = config }, cancellationToken);
                            count++;
                            break;
                        }
                        catch (ConcurrencyException) when (attempt < 5)
                        {
                        }
                    }
                }
            }
        }
        return new Result(old.CurrentId, ring.CurrentId, count);
    }
}
