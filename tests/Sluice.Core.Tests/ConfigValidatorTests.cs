using System.Text.Json.Nodes;
using Sluice.Core.Config;
using Sluice.Core.Connectors;

namespace Sluice.Core.Tests;

public sealed class ConfigValidatorTests
{
    private static readonly ConnectorSpec Spec = new()
    {
        ConnectionSpecification = JsonNode.Parse("""
        {
          "type": "object",
          "required": ["host", "database"],
          "properties": {
            "host": { "type": "string", "description": "Hostname of the server" },
            "port": { "type": "integer", "minimum": 1, "maximum": 65535, "default": 5432 },
            "database": { "type": "string" },
            "password": { "type": "string", "airbyte_secret": true },
            "ssl_mode": { "type": "string", "enum": ["disable", "require"] }
          }
        }
        """)!.AsObject(),
    };

    [Fact]
    public void Missing_field_is_named_with_its_description()
    {
        var errors = ConfigValidator.Errors(Spec, new JsonObject { ["database"] = "app" }, "postgres");
        var error = Assert.Single(errors);
        Assert.Equal("host", error.Field);
        Assert.Contains("host: is required", error.Message);
        Assert.Contains("Hostname of the server", error.Message);
    }

    [Fact]
    public void Wrong_type_and_range_name_the_field_and_what_was_given()
    {
        var wrongType = ConfigValidator.Errors(Spec, new JsonObject { ["host"] = "h", ["database"] = "d", ["port"] = "abc" }, "postgres");
        Assert.Contains(wrongType, e => e.Field == "port" && e.Message.Contains("must be an integer") && e.Message.Contains("\"abc\""));
        var outOfRange = ConfigValidator.Errors(Spec, new JsonObject { ["host"] = "h", ["database"] = "d", ["port"] = 70000 }, "postgres");
        Assert.Contains(outOfRange, e => e.Field == "port" && e.Message.Contains("at most 65535"));
    }

    [Fact]
    public void Enum_error_lists_the_allowed_values()
    {
        var errors = ConfigValidator.Errors(Spec, new JsonObject { ["host"] = "h", ["database"] = "d", ["ssl_mode"] = "sometimes" }, "postgres");
        Assert.Contains(errors, e => e.Field == "ssl_mode" && e.Message.Contains("allowed: disable, require"));
    }

    [Fact]
    public void Valid_config_passes() =>
        ConfigValidator.Validate(Spec, new JsonObject { ["host"] = "h", ["database"] = "d", ["port"] = 5432 }, "postgres");

    [Fact]
    public void Secret_paths_and_masking()
    {
        Assert.Equal(["password"], Spec.SecretPaths());
        var masked = SecretMasker.Apply(new JsonObject { ["host"] = "h", ["password"] = "hunter2" }, Spec);
        Assert.Equal(SecretMasker.Mask, masked["password"]!.GetValue<string>());
        var kept = SecretMasker.KeepMaskedSecrets(masked, new JsonObject { ["password"] = "hunter2" }, Spec);
        Assert.Equal("hunter2", kept["password"]!.GetValue<string>());
    }

    [Fact]
    public void References_resolve_from_environment_and_files()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "from-file\n");
        var config = new JsonObject { ["password"] = "${env:SLUICE_TEST_PW}", ["token"] = $"${{file:{file}}}", ["plain"] = 5 };
        var resolved = ConfigReferences.Resolve(config, name => name == "SLUICE_TEST_PW" ? "s3cret" : null);
        Assert.Equal("s3cret", resolved["password"]!.GetValue<string>());
        Assert.Equal("from-file", resolved["token"]!.GetValue<string>());
        Assert.Equal(5, resolved["plain"]!.GetValue<int>());
        var missing = Assert.Throws<ConfigException>(() => ConfigReferences.Resolve(new JsonObject { ["password"] = "${env:NOPE_NOT_SET}" }, _ => null));
        Assert.Equal("password", missing.Field);
        Assert.Contains("NOPE_NOT_SET", missing.Message);
    }
}
