using System.Text.Json.Nodes;
using Sluice.Connectors.Postgres;
using Sluice.Server.Secrets;

namespace Sluice.Server.Tests;

public sealed class SecretVaultTests
{
    [Fact]
    public void Seals_secrets_keeps_references_and_reads_old_keys_after_rotation()
    {
        var dir = Directory.CreateTempSubdirectory("sluice-vault").FullName;
        var spec = new PostgresConnector().Spec();
        var vault = new SecretVault(MasterKeyRing.Load(dir, null), dir, null);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, "master.key")));

        var sealedConfig = vault.Seal(new JsonObject { ["host"] = "h", ["password"] = "hunter2-secret" }, spec);
        var envelope = sealedConfig["password"]!["$secret"]!.GetValue<string>();
        Assert.StartsWith($"v1:{vault.CurrentKeyId}:", envelope);
        Assert.DoesNotContain("hunter2", sealedConfig.ToJsonString());
        Assert.Equal("${env:PW}", vault.Seal(new JsonObject { ["password"] = "${env:PW}" }, spec)["password"]!.GetValue<string>());

        var rotated = new SecretVault(MasterKeyRing.Rotate(MasterKeyRing.Load(dir, null)), dir, null);
        Assert.NotEqual(vault.CurrentKeyId, rotated.CurrentKeyId);
        Assert.Equal("hunter2-secret", rotated.Reveal(sealedConfig)["password"]!.GetValue<string>());
        var resealed = rotated.Reseal(sealedConfig, out var changed);
        Assert.True(changed);
        Assert.StartsWith($"v1:{rotated.CurrentKeyId}:", resealed["password"]!["$secret"]!.GetValue<string>());
        // A server started before the rotation reloads the key file when it meets the new key id.
        Assert.Equal("hunter2-secret", vault.Reveal(resealed)["password"]!.GetValue<string>());
        Directory.Delete(dir, true);
    }
}
