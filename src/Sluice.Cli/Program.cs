using System.CommandLine;
using Sluice.Cli;
using Sluice.Cli.Commands;
using Sluice.Cli.Distributed;

MemoryTrace.StartIfRequested();
var root = new RootCommand("Sluice: data integration and orchestration")
{
    StandaloneCommand.Create(),
    ServerCommand.Create(),
    SchedulerCommand.Create(),
    WorkerCommand.Create(),
    WorkersCommand.Create(),
    ConnectorCommands.CreateList(),
    ConnectorCommands.Create(),
    ApplyCommand.Create(),
    SyncCommand.Create(),
    ConnectionsCommand.Create(),
    JobsCommand.Create(),
    DagsCommand.Create(),
    RunsCommand.Create(),
    PoolsCommand.Create(),
    MigrateCommand.Create(),
    SecretsCommand.Create(),
    ResetCommand.Create(),
};
root.Options.Add(CommonOptions.DataDir);
root.Options.Add(CommonOptions.Store);
var parsed = root.Parse(args);
// The long-running processes catch SIGTERM themselves: a worker drains for its whole grace period, not 2 seconds.
var ownSignals = ShutdownSignal.IsHandledBy(parsed.CommandResult.Command.Name);
return await CliErrors.RunAsync(() => parsed.InvokeAsync(new InvocationConfiguration
{
    EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = ownSignals ? null : TimeSpan.FromSeconds(2),
}));
