using ContrastiveNE.Examples.GettingStarted;

// Getting started with ContrastiveNE: load a data set from .npy, embed it in 2-D, save the map, judge it.
//   dotnet run --project examples/GettingStarted                                   # the 8 × 8 digits in tests/data
//   dotnet run --project examples/GettingStarted -- data.npy [labels.npy] [map.npy]
return GettingStartedExample.RunCommandLine(args, Console.Out, Console.Error);
