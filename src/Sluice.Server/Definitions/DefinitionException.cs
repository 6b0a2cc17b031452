namespace Sluice.Server.Definitions;

/// <summary>A definition file is wrong; the message names the file, the entry and the field.</summary>
public sealed class DefinitionException(string message, Exception? inner = null) : Exception(message, inner);
