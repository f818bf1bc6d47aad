using System.CommandLine;
using Engine.Cli;

EarlyWarmUp.Start(args);
var root = new RootCommand("loopsim: finite-sample replicates of coupled self-consuming training loops, with confidence intervals and population theory. "
    + "Start with loopsim init. Exit codes: 0 done, 2 a mistake in a spec, a flag or a file (one line on stderr, nothing written), 1 an internal error. "
    + "The model, every spec key and the outputs are documented in docs/ of the repository.")
{
    RunCommand.Create(),
    TheoryCommand.Create(),
    SweepCommand.Create(),
    StoreCommands.Merge(),
    StoreCommands.Export(),
    StoreCommands.Plot(),
    StoreCommands.Slurm(),
    ReproduceCommand.Create(),
    InitCommand.Create(),
    ValidateCommand.Create(),
};
return CommandLine.Invoke(root, args);
