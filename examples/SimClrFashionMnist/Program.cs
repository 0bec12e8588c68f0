using ContrastiveNE.Examples.SimClr;

// SimCLR on Fashion-MNIST, then a 2-D map of the learned representation; `--help` lists the options.
if (args.Length > 0 && args[0] is "--help" or "-h")
{
    Console.WriteLine("SimClrFashionMnist [--data DIR] [--n 2000] [--test 1000] [--epochs 1] [--batch-size 256] [--channels 16,32,64]");
    Console.WriteLine("                   [--depth 2] [--projection 128] [--loss infonce|infonce_alt] [--temperature 0.2]");
    Console.WriteLine("                   [--learnable-temperature false]");
    Console.WriteLine("                   [--lr 0.003] [--crop-min 0.2] [--crop-max 1] [--jitter 0.4] [--translate 0] [--noise 0] [--grid 1]");
    Console.WriteLine("                   [--map-epochs 100] [--out simclr-embedding.npy|none] [--seed 0] [--threads 0]");
    return 0;
}
try
{
    SimClrExample.Run(SimClrSettings.Parse(args), Console.Out);
    return 0;
}
catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
