namespace Sluice.Engine.Evolution;

/// <summary>A sync of a paused connection, or one that a schema change has just paused. Not retried: a person must act.</summary>
public sealed class ConnectionPausedException(string message) : Exception(message);
