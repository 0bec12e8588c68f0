using ContrastiveNE.Cli;

// Ctrl-C cancels the running command through its token instead of killing the process, so the command can stop
// between work units and leave no partial output behind.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
return await CneApp.RunAsync(args, Console.Out, Console.Error, errorIsTerminal: !Console.IsErrorRedirected, cancellation.Token);
