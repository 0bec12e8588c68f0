using System.Diagnostics;
using ContrastiveNE.Bench;

// ContrastiveNE.Bench <scenario> [--n N] [--threads T] [--epochs E] [--seed S] [--out PATH] [--device D] [--data DIR] [--key value …]
// Prints one JSON object per line; errors go to standard error with exit code 1 (2 for usage errors).
var scenarios = typeof(IScenario).Assembly.GetTypes()
    .Where(t => typeof(IScenario).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
    .Select(t => (IScenario)Activator.CreateInstance(t)!)
    .OrderBy(s => s.Name, StringComparer.Ordinal)
    .ToDictionary(s => s.Name, StringComparer.Ordinal);

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: ContrastiveNE.Bench <scenario> [--n N] [--threads T] [--epochs E] [--seed S] [--out PATH] [--device cpu|gpu] [--data DIR]");
    Console.Error.WriteLine("  --data DIR: the folder holding the full data sets (default: $CNE_DATA, then ../shared/data beside the repository)");
    foreach (var s in scenarios.Values) Console.Error.WriteLine($"  {s.Name,-18} {s.Description}");
    return args.Length == 0 ? 2 : 0;
}
if (!scenarios.TryGetValue(args[0], out var scenario))
{
    Console.Error.WriteLine($"error: unknown scenario '{args[0]}'; known: {string.Join(", ", scenarios.Keys)}");
    return 2;
}
BenchArgs options;
try { options = BenchArgs.Parse(args.AsSpan(1)); }
catch (ArgumentException e) { Console.Error.WriteLine($"error: {e.Message}"); return 2; }

var result = new BenchResult();
var clock = Stopwatch.StartNew();
try { scenario.Run(options, result); }
catch (Exception e) when (e is IOException or ArgumentException or InvalidDataException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
Console.WriteLine(result.ToJson(scenario.Name, options.Threads, clock.Elapsed.TotalSeconds));
return 0;
