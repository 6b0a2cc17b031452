namespace Sluice.Engine.Pipeline;

/// <summary>Unlike <see cref="Progress{T}"/>, reports on the caller's thread, so counts arrive in order and at once.</summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
