using System.CommandLine;
using Sluice.Cli;
using Sluice.Cli.Commands;

var root = new RootCommand("Sluice: data integration and orchestration")
{
    StandaloneCommand.Create(),
    ConnectorCommands.CreateList(),
    ConnectorCommands.Create(),
    ApplyCommand.Create(),
    SyncCommand.Create(),
    ConnectionsCommand.Create(),
    JobsCommand.Create(),
    DagsCommand.Create(),
    RunsCommand.Create(),
    MigrateCommand.Create(),
    SecretsCommand.Create(),
    ResetCommand.Create(),
};
root.Options.Add(CommonOptions.DataDir);
root.Options.Add(CommonOptions.Store);
return await CliErrors.RunAsync(() => root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
