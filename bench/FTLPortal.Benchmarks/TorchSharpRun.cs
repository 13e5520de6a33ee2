using System.Diagnostics;
using System.Globalization;
using FTLPortal.Learning.Data;
using FTLPortal.Learning.Engines;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.TorchSharp;
using FTLPortal.Learning.Training;

namespace FTLPortal.Benchmarks;

/// <summary>
/// The TorchSharp side of bench/run.sh, in its own process so its peak resident memory is its own: the same model, the
/// same initial weights, options and timing protocol as ours (<see cref="Program"/>).
/// </summary>
internal static class TorchSharpRun
{
    public static void TrainAndReport(
        string name, ModelArchitecture architecture, TabularDataset train, TabularDataset test, int epochs, int threads, WeightSet initial, TrainingOptions options)
    {
        // FTL_TORCHSHARP_ONEDNN=1 measures libtorch with its oneDNN kernels, which the engine turns off by default.
        bool oneDnn = Environment.GetEnvironmentVariable("FTL_TORCHSHARP_ONEDNN") == "1";
        var engine = new TorchSharpEngine(new TorchSharpEngineOptions { Threads = threads, OneDnn = oneDnn });
        using (IEngineModel warm = engine.Create(architecture, seed: 99))
        {
            warm.Train(train.Subset(Enumerable.Range(0, 4096).ToArray()), options with { Epochs = 1 });
        }

        using IEngineModel model = engine.Create(architecture, initial);
        long start = Stopwatch.GetTimestamp();
        model.Train(train, options with { Epochs = epochs });
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        EvaluationResult result = model.Evaluate(test);
        Console.WriteLine("# torchsharp " + engine.Version + (oneDnn ? ", oneDNN on" : ", oneDNN off"));
        Print($"torchsharp_{name}_train_samples_per_s {(double)train.Rows * epochs / seconds:0.###}");
        Print($"torchsharp_{name}_test_acc {result.Accuracy * 100:0.###}");
        Print($"torchsharp_{name}_peak_rss_mib {PeakResidentMebibytes():0.#}");
    }

    private static double PeakResidentMebibytes()
    {
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
