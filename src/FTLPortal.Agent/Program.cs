using System.Text.Json;
using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Packaging;
using FTLPortal.Learning.Data;
using FTLPortal.Learning.Engines;
using FTLPortal.Learning.Summaries;

// The partner-side program. Distributed mode (serving the agent contract to the portal over HTTPS) is not built yet;
// today it shows a partner exactly what its agent would publish about a dataset, computed on the partner's machine,
// lists the training engines it offers, and runs a downloaded model package on the partner's own rows.
string command = args.Length > 0 ? args[0] : "";
if (command == "engines")
{
    // Prints what a model card would record. The TorchSharp engine is a plug-in in engines/ beside the agent (publish with
    // -p:FtlEnginePlugins=true); a plain build has the built-in engine only, so the Federation tests that run this program
    // from their own folder copy no libtorch (~600 MB).
    var threads = int.TryParse(Option("--threads"), out var t) && t >= 0 ? t : 0;
    var plugins = EnginePluginLoader.Load(Path.Combine(AppContext.BaseDirectory, "engines"), new EngineSettings { Threads = threads });
    foreach (var failure in plugins.Failures)
    {
        Console.Error.WriteLine($"engine plug-in {failure.Folder} did not load: {failure.Reason}");
    }

    EngineCatalog catalog = plugins.Catalog();
    foreach (string name in catalog.Names)
    {
        Console.WriteLine($"{name}\t{catalog.Get(name).Version}");
    }

    return 0;
}

if (command is not ("summarize" or "predict"))
{
    Console.WriteLine("""
        FTLPortal.Agent: the partner-side worker of FTL Portal.

        Usage:
          FTLPortal.Agent summarize <file.csv> [--label <column>] [--max-bytes <n>]
          FTLPortal.Agent predict --model <package.zip> --csv <file.csv> [--standardization <name>] [--max-bytes <n>]
          FTLPortal.Agent engines [--threads <n>]

        summarize validates the CSV as the portal's agents do and prints, as JSON, the summary that would leave this
        site: row count, per-feature mean and standard deviation, class histogram and the random-feature mean embedding.
        No row is printed or sent anywhere.

        predict checks the model package against its manifest's SHA-256s, reads the model's feature columns from the
        CSV by name (other columns, such as a label, are ignored), applies the package's standardization (a domain's
        name, or "global"; the package's default when omitted) and prints CSV: row, predicted class, one probability
        per class.

        engines lists the training engines this agent offers, with their versions: the built-in one, and those of the
        plug-ins in engines/ beside this program (TorchSharp, when the agent was published with -p:FtlEnginePlugins=true).
        """);
    return args.Length < 1 || command is "-h" or "--help" ? 0 : 2;
}

var maxBytes = long.TryParse(Option("--max-bytes"), out var parsed) ? parsed : new InProcessAgentOptions().MaxUploadBytes;
return command == "predict" ? Predict() : await SummarizeAsync();

async Task<int> SummarizeAsync()
{
    if (args.Length < 2)
    {
        Console.Error.WriteLine("summarize: name a CSV file.");
        return 2;
    }

    var file = args[1];
    var label = Option("--label") ?? "label";
    try
    {
        await using var stream = File.OpenRead(file);
        var dataset = CsvDatasetReader.Read(stream, label, new CsvReadOptions { MaxBytes = maxBytes });
        var summary = DomainSummarizer.Summarize(dataset, new SummaryOptions());
        Console.WriteLine(JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }
    catch (Exception ex) when (ex is DatasetFormatException or IOException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine($"{file}: {ex.Message}");
        return 1;
    }
}

int Predict()
{
    var model = Option("--model");
    var csv = Option("--csv");
    if (model is null || csv is null)
    {
        Console.Error.WriteLine("predict: give --model <package.zip> and --csv <file.csv>.");
        return 2;
    }

    ModelPackage package;
    try
    {
        using var zip = File.OpenRead(model);
        package = ModelPackageReader.Read(zip);
    }
    catch (Exception ex) when (ex is ModelPackageException or IOException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine($"{model}: {ex.Message}");
        return 1;
    }

    try
    {
        using var rows = File.OpenRead(csv);
        var predictions = ModelPackagePredictor.Predict(package, rows, Option("--standardization"), new CsvReadOptions { MaxBytes = maxBytes });
        using var output = new StreamWriter(Console.OpenStandardOutput()) { NewLine = "\n" };
        predictions.WriteCsv(output);
        return 0;
    }
    catch (Exception ex) when (ex is DatasetFormatException or ModelPackageException or IOException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine($"{csv}: {ex.Message}");
        return 1;
    }
}

string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
