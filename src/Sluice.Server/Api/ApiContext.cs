using Microsoft.AspNetCore.Http;
using Sluice.Core.Connectors;
using Sluice.Core.Model;
using Sluice.Engine.Jobs;
using Sluice.Metadata;
using Sluice.Server.Secrets;

namespace Sluice.Server.Api;

/// <summary>What every endpoint needs: the store, connectors, clock, and the workspace a request acts in.</summary>
public sealed class ApiContext(IMetadataStore store, ConnectorRegistry registry, TimeProvider time, SecretVault vault, ConnectionResolver resolver)
{
    private const string WorkspaceItem = "sluice.workspace";
    // Workspaces are never renamed or deleted, so a name, once found, names the same workspace for the life of the process.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Workspace> _workspaces = new(StringComparer.Ordinal);

    /// <summary>Encrypts connector secrets before they are stored.</summary>
    public SecretVault Vault => vault;
    /// <summary>Gives connectors their plaintext config (secrets decrypted, references resolved).</summary>
    public ConnectionResolver Resolver => resolver;
    public IMetadataStore Store => store;
    public ConnectorRegistry Registry => registry;
    public TimeProvider Time => time;

    /// <summary>The workspace named by <c>?workspace=</c> (default: "default"), resolved once per request.</summary>
    public async Task<Workspace> WorkspaceAsync(HttpContext http, CancellationToken cancellationToken)
    {
        if (http.Items[WorkspaceItem] is Workspace resolved)
            return resolved;
        var name = http.Request.Query["workspace"].FirstOrDefault();
        if (string.IsNullOrEmpty(name))
            name = Workspace.DefaultName;
        if (!_workspaces.TryGetValue(name, out var workspace))
        {
            workspace = name == Workspace.DefaultName
                ? await store.Workspaces.GetOrCreateDefaultAsync(cancellationToken)
                : await store.Workspaces.FindByNameAsync(name, cancellationToken) ?? throw new NotFoundException("workspace", name);
            _workspaces[name] = workspace;
        }
        http.Items[WorkspaceItem] = workspace;
        return workspace;
    }

    /// <summary>
    /// The version a client says it is updating, from If-Match (an ETag this API handed out) or else the body's
    /// <c>version</c>. One of them is required, so an update can never silently overwrite a change it did not see.
    /// </summary>
    public static int ExpectedVersion(HttpContext http, int? bodyVersion)
    {
        var ifMatch = http.Request.Headers.IfMatch.FirstOrDefault();
        if (ifMatch is not null)
        {
            var text = ifMatch.Trim();
            if (text.StartsWith("W/", StringComparison.Ordinal))
                text = text[2..];
            return int.TryParse(text.Trim('"'), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v)
                ? v
                : throw new Sluice.Core.Connectors.ConfigException("If-Match", $"'{ifMatch}' is not an ETag of this API", "send the ETag header of the GET you based the change on, e.g. \"3\"");
        }
        return bodyVersion ?? throw new VersionRequiredException();
    }

    public static void SetETag(HttpContext http, int version) => http.Response.Headers.ETag = $"\"{version}\"";
}
