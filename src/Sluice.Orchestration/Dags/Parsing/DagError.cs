using System.Text;

namespace Sluice.Orchestration.Dags.Parsing;

/// <summary>One problem in a DAG definition, located as precisely as the parser could.</summary>
public sealed record DagError(string? Source, string? Dag, string? Task, string? Field, string Message, long? Line = null, long? Column = null)
{
    /// <summary>Formatted like a compiler message: "file:line:column: dag 'd', task 't', field 'f': message".</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        if (Source is not null || Line is not null)
        {
            sb.Append(Source ?? "<yaml>");
            if (Line is not null)
            {
                sb.Append(':').Append(Line).Append(':').Append(Column);
            }

            sb.Append(": ");
        }

        var where = new List<string>(3);
        if (Dag is not null)
        {
            where.Add($"dag '{Dag}'");
        }

        if (Task is not null)
        {
            where.Add($"task '{Task}'");
        }

        if (Field is not null)
        {
            where.Add($"field '{Field}'");
        }

        if (where.Count > 0)
        {
            sb.Append(string.Join(", ", where)).Append(": ");
        }

        return sb.Append(Message).ToString();
    }
}
