using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sluice.Orchestration.Dags.Parsing;

/// <summary>
/// Replaces each sql task's <c>file:</c> with the file's text (<c>sql:</c>) in a definition about to be stored. A
/// worker may run on another machine or in another directory than the one that applied the DAG, and an edited file
/// must become a new DAG version, so the stored version carries the SQL itself.
/// </summary>
public static class SqlFileInliner
{
    /// <summary>The document with every file of <paramref name="dag"/> inlined; unchanged when it has none.</summary>
    /// <exception cref="DagDefinitionException">a file cannot be read.</exception>
    public static string Inline(string document, DagDefinition dag, string? sourceName, string? baseDirectory)
    {
        var files = dag.Tasks.OfType<SqlTaskDefinition>().Where(t => t.File is not null).ToDictionary(t => t.Id, t => t.File!, StringComparer.Ordinal);
        if (files.Count == 0)
            return document;
        var stream = new YamlStream();
        stream.Load(new StringReader(document));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var errors = new List<DagError>();
        foreach (var task in ((YamlSequenceNode)root.Children[new YamlScalarNode("tasks")]).OfType<YamlMappingNode>())
        {
            if (!task.Children.TryGetValue(new YamlScalarNode("id"), out var id) || id is not YamlScalarNode { Value: { } taskId }
                || !files.TryGetValue(taskId, out var file))
                continue;
            var path = Path.GetFullPath(file, baseDirectory ?? Environment.CurrentDirectory);
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                errors.Add(new DagError(sourceName, dag.Name, taskId, "file", $"cannot read '{path}': {ex.Message}"));
                continue;
            }

            task.Children.Remove(new YamlScalarNode("file"));
            task.Children.Add(new YamlScalarNode("sql"), new YamlScalarNode(text) { Style = ScalarStyle.Literal });
        }

        if (errors.Count > 0)
            throw new DagDefinitionException(errors);
        using var writer = new StringWriter();
        stream.Save(writer, assignAnchors: false);
        var saved = writer.ToString().TrimEnd();
        return saved.EndsWith("...", StringComparison.Ordinal) ? saved[..^3].TrimEnd() : saved;
    }
}
