using System.CommandLine;
using UsageSentinel.Cli.Commands;

var root = new RootCommand("usage-sentinel: detects resale / proxy access and restricted-scale training on GPU cloud accounts from Kafka events.")
{
    RunCommand.Create(),
    DemoCommand.Create(),
    SimulateCommand.Create(),
    ReplayCommand.Create(),
    EvaluateCommand.Create(),
    BrokerCommand.Create(),
    ScoreSeriesCommand.Create(),
    HealthCommand.Create(),
    StateCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
