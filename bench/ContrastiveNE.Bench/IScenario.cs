namespace ContrastiveNE.Bench;

/// <summary>
/// One benchmark scenario. Scenarios are discovered by reflection: add a class implementing this interface and it
/// becomes runnable as <c>ContrastiveNE.Bench &lt;Name&gt;</c>.
/// </summary>
public interface IScenario
{
    /// <summary>The scenario's command-line name, e.g. <c>knn-exact</c>.</summary>
    string Name { get; }

    /// <summary>One line of help.</summary>
    string Description { get; }

    /// <summary>Runs the scenario and fills <paramref name="result"/> (phases and figures).</summary>
    void Run(BenchArgs args, BenchResult result);
}
