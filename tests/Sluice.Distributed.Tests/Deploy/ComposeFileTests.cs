using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Sluice.Distributed.Tests.Deploy;

/// <summary>
/// deploy/compose.yaml, checked without Docker (CI has none): it parses as YAML with its merge keys resolved, has the
/// services docs/deploy.md promises, every Sluice service waits for the one-shot migrate and gets the store and the
/// master key, the worker can be scaled, and every ${...} is an interpolation Compose accepts.
/// </summary>
public sealed partial class ComposeFileTests
{
    private static readonly string[] SluiceServices = ["migrate", "server", "scheduler-1", "scheduler-2", "worker"];

    private static Dictionary<string, object?> Services()
    {
        using var reader = new StreamReader(RepoPaths.Deploy("compose.yaml"));
        var document = new DeserializerBuilder().Build().Deserialize<Dictionary<string, object?>>(new MergingParser(new Parser(reader)));
        return Map(document["services"]);
    }

    [Fact]
    public void Has_postgres_migrate_one_server_two_schedulers_and_workers()
    {
        Assert.Equal(["migrate", "postgres", "scheduler-1", "scheduler-2", "server", "worker"], Services().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_sluice_service_uses_the_image_and_gets_the_store_and_the_master_key()
    {
        var services = Services();
        foreach (var name in SluiceServices)
        {
            var service = Map(services[name]);
            Assert.Equal("deploy/Dockerfile", Map(service["build"])["dockerfile"]);
            var env = Map(service["environment"]);
            Assert.StartsWith("postgres://", (string)env["SLUICE_STORE"]!, StringComparison.Ordinal);
            Assert.Contains("${SLUICE_MASTER_KEY:?", (string)env["SLUICE_MASTER_KEY"]!, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Migrate_runs_once_after_postgres_is_healthy_and_everything_else_after_migrate()
    {
        var services = Services();
        var migrate = Map(services["migrate"]);
        Assert.Equal(["migrate"], List(migrate["command"]));
        Assert.Equal("no", migrate["restart"]);
        Assert.Equal("service_healthy", Map(Map(migrate["depends_on"])["postgres"])["condition"]);
        foreach (var name in SluiceServices.Where(n => n != "migrate"))
            Assert.Equal("service_completed_successfully", Map(Map(Map(services[name])["depends_on"])["migrate"])["condition"]);
    }

    [Fact]
    public void Schedulers_and_postgres_outweigh_workers_for_cpu_so_a_takeover_stays_quick_under_load()
    {
        var services = Services();
        foreach (var name in new[] { "scheduler-1", "scheduler-2", "postgres" })
            Assert.Equal("4096", Map(services[name])["cpu_shares"]);
        Assert.False(Map(services["worker"]).ContainsKey("cpu_shares"));
    }

    [Fact]
    public void Schedulers_have_distinct_ids_and_the_worker_can_be_scaled()
    {
        var services = Services();
        Assert.Equal(["scheduler", "--id", "scheduler-1"], List(Map(services["scheduler-1"])["command"]));
        Assert.Equal(["scheduler", "--id", "scheduler-2"], List(Map(services["scheduler-2"])["command"]));
        var worker = Map(services["worker"]);
        // --scale worker=N fails on a fixed container name or host port.
        Assert.False(worker.ContainsKey("container_name"));
        Assert.False(worker.ContainsKey("ports"));
        Assert.Contains("worker --id \"worker-$${HOSTNAME}\"", string.Join(' ', List(worker["entrypoint"])), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_dollar_is_an_interpolation_compose_accepts()
    {
        var text = File.ReadAllText(RepoPaths.Deploy("compose.yaml"));
        var lines = text.Split('\n').Select((line, i) => (line, number: i + 1)).Where(l => !l.line.TrimStart().StartsWith('#'));
        foreach (var (line, number) in lines)
            foreach (Match m in Dollar().Matches(line))
                Assert.True(m.Value == "$$" || ValidInterpolation().IsMatch(m.Value),
                    $"compose.yaml:{number}: '{m.Value}' in '{line.Trim()}' is not an interpolation Compose accepts (write $$ for a literal '$')");
    }

    private static Dictionary<string, object?> Map(object? node) =>
        ((Dictionary<object, object?>)node!).ToDictionary(p => (string)p.Key, p => p.Value);

    private static List<string> List(object? node) => ((List<object?>)node!).Select(o => (string)o!).ToList();

    // Each '$' with what follows it: "$$" (a literal), "${...}", "$NAME", or a bare '$'.
    [GeneratedRegex(@"\$\$|\$\{[^}]*\}?|\$[A-Za-z_][A-Za-z0-9_]*|\$")]
    private static partial Regex Dollar();

    [GeneratedRegex(@"^(\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[-?+][^}]*)?\})$")]
    private static partial Regex ValidInterpolation();
}
