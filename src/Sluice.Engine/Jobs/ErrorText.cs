namespace Sluice.Engine.Jobs;

/// <summary>Turns an exception into the one-paragraph message a user sees: the causes, never a stack trace.</summary>
public static class ErrorText
{
    public static string Describe(Exception e)
    {
        if (e is AggregateException aggregate && aggregate.InnerExceptions.Count == 1)
            e = aggregate.InnerExceptions[0];
        var parts = new List<string>();
        for (var current = e; current is not null; current = current.InnerException)
        {
            var message = current.Message.Trim();
            if (message.Length > 0 && !parts.Any(p => p.Contains(message, StringComparison.Ordinal)))
                parts.Add(message);
        }
        return string.Join(": ", parts);
    }
}
