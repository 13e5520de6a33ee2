using System.Text.Json;
using FTLPortal.Federation.Agents;
using FTLPortal.Learning.Data;
using FTLPortal.Learning.Engines;
using FTLPortal.Learning.Summaries;
using FTLPortal.Learning.TorchSharp;

// The partner-side program. Distributed mode (serving the agent contract to the portal over HTTPS) is not built yet;
// today it shows a partner exactly what its agent would publish about a dataset, computed on the partner's machine.
if (args.Length >= 1 && args[0] == "engines")
{
    // Loads each engine for real (libtorch included) and prints what a model card would record.
    int threads = int.TryParse(Option("--threads"), out int n) ? n : 0;
    var catalog = new EngineCatalog(new TorchSharpEngine(new TorchSharpEngineOptions { Threads = threads }));
    foreach (string name in catalog.Names)
    {
        Console.WriteLine($"{name}\t{catalog.Get(name).Version}");
    }

    return 0;
}

if (args.Length < 1 || args[0] is "-h" or "--help" || args[0] != "summarize")
{
    Console.WriteLine("""
        FTLPortal.Agent: the partner-side worker of FTL Portal.

        Usage:
          FTLPortal.Agent summarize <file.csv> [--label <column>] [--max-bytes <n>]
          FTLPortal.Agent engines [--threads <n>]

        Validates the CSV as the portal's agents do and prints, as JSON, the summary that would leave this site:
        row count, per-feature mean and standard deviation, class histogram and the random-feature mean embedding.
        No row is printed or sent anywhere. "engines" lists the training engines this agent offers, with their versions.
        """);
    return args.Length < 1 || args[0] is "-h" or "--help" ? 0 : 2;
}

if (args.Length < 2)
{
    Console.Error.WriteLine("summarize: name a CSV file.");
    return 2;
}

var file = args[1];
var label = Option("--label") ?? "label";
var maxBytes = long.TryParse(Option("--max-bytes"), out var parsed) ? parsed : new InProcessAgentOptions().MaxUploadBytes;
try
{
    await using var stream = File.OpenRead(file);
    var dataset = CsvDatasetReader.Read(stream, label, new CsvReadOptions { MaxBytes = maxBytes });
    var summary = DomainSummarizer.Summarize(dataset, new SummaryOptions());
    Console.WriteLine(JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
    return 0;
}
catch (DatasetFormatException ex)
{
    Console.Error.WriteLine($"{file}: {ex.Message}");
    return 1;
}
catch (IOException ex)
{
    Console.Error.WriteLine($"{file}: {ex.Message}");
    return 1;
}

string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
