using System.CommandLine;
using Engine.Cli;

var root = new RootCommand("loopsim: finite-sample replicates of coupled self-consuming training loops, with confidence intervals and population theory.")
{
    RunCommand.Create(),
    TheoryCommand.Create(),
    ReproduceCommand.Create(),
    InitCommand.Create(),
    ValidateCommand.Create(),
};
return CommandLine.Invoke(root, args);
