namespace Sluice.Core.Model;

/// <summary>Sources and destinations are both "actors": a configured connector.</summary>
public enum ActorKind
{
    Source,
    Destination,
}
