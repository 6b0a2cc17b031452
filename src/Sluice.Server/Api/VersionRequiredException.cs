namespace Sluice.Server.Api;

/// <summary>An update sent neither If-Match nor a version: answered 428, since applying it could overwrite an unseen change.</summary>
public sealed class VersionRequiredException()
    : Exception("an update must say which version it changes: send the If-Match header with the ETag you read, or the body's 'version'");
