using System.Text.Json;
using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Packaging;
using FTLPortal.Federation.Remote;
using FTLPortal.Agent;
using FTLPortal.Learning.Data;
using FTLPortal.Learning.Engines;
using FTLPortal.Learning.Summaries;

// The partner-side program. serve runs the partner's agent for a portal in distributed mode (dialling out to it, so the
// partner opens no port); the other commands show a partner exactly what its agent would publish about a dataset,
// computed on the partner's machine, list the training engines it offers, and run a downloaded model package on the
// partner's own rows.
string command = args.Length > 0 ? args[0] : "";
if (command == "engines")
{
    // Prints what a model card would record. The TorchSharp engine is a plug-in in engines/ beside the agent (publish with
    // -p:FtlEnginePlugins=true); a plain build has the built-in engine only, so the Federation tests that run this program
    // from their own folder copy no libtorch (~600 MB).
    EngineCatalog catalog = LoadEngines();
    foreach (string name in catalog.Names)
    {
        Console.WriteLine($"{name}\t{catalog.Get(name).Version}");
    }

    return 0;
}

if (command is not ("summarize" or "predict" or "serve"))
{
    Console.WriteLine("""
        FTLPortal.Agent: the partner-side worker of FTL Portal.

        Usage:
          FTLPortal.Agent summarize <file.csv> [--label <column>] [--max-bytes <n>]
          FTLPortal.Agent predict --model <package.zip> --csv <file.csv> [--standardization <name>] [--max-bytes <n>]
          FTLPortal.Agent engines [--threads <n>]
          FTLPortal.Agent serve --portal <url> --data <folder> [--key <key>] [--threads <n>] [--max-bytes <n>]

        summarize validates the CSV as the portal's agents do and prints, as JSON, the summary that would leave this
        site: row count, per-feature mean and standard deviation, class histogram and the random-feature mean embedding.
        No row is printed or sent anywhere.

        predict checks the model package against its manifest's SHA-256s, reads the model's feature columns from the
        CSV by name (other columns, such as a label, are ignored), applies the package's standardization (a domain's
        name, or "global"; the package's default when omitted) and prints CSV: row, predicted class, one probability
        per class.

        engines lists the training engines this agent offers, with their versions: the built-in one, and those of the
        plug-ins in engines/ beside this program (TorchSharp, when the agent was published with -p:FtlEnginePlugins=true).

        serve runs this partner's agent for the portal at --portal: it connects out to the portal (this site opens no port)
        with the partner's agent key, from the environment variable FTL_AGENT_KEY (or --key, which other users of this
        machine can see in the process list), keeps the partner's domains in --data (mode 700), answers the portal's calls
        (summaries, local training, evaluation, preprocessing) and connects again with back-off when the connection ends.
        It exits with 3 when the portal refuses the key.
        """);
    return args.Length < 1 || command is "-h" or "--help" ? 0 : 2;
}

var maxBytes = long.TryParse(Option("--max-bytes"), out var parsed) ? parsed : new InProcessAgentOptions().MaxUploadBytes;
return command switch
{
    "serve" => await ServeAsync(),
    "predict" => Predict(),
    _ => await SummarizeAsync(),
};

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

EngineCatalog LoadEngines()
{
    var threads = int.TryParse(Option("--threads"), out var t) && t >= 0 ? t : 0;
    var plugins = EnginePluginLoader.Load(Path.Combine(AppContext.BaseDirectory, "engines"), new EngineSettings { Threads = threads });
    foreach (var failure in plugins.Failures)
    {
        Console.Error.WriteLine($"engine plug-in {failure.Folder} did not load: {failure.Reason}");
    }

    return plugins.Catalog();
}

async Task<int> ServeAsync()
{
    var portal = Option("--portal");
    var data = Option("--data");
    var key = Option("--key") ?? Environment.GetEnvironmentVariable(AgentChannel.KeyVariable);
    if (portal is null || data is null || !Uri.TryCreate(portal.EndsWith('/') ? portal : portal + "/", UriKind.Absolute, out var portalUri)
        || portalUri.Scheme is not ("http" or "https"))
    {
        Console.Error.WriteLine("serve: give --portal <http(s) url> and --data <folder>.");
        return 2;
    }

    if (string.IsNullOrWhiteSpace(key))
    {
        Console.Error.WriteLine($"serve: set the agent key in the environment variable {AgentChannel.KeyVariable} (or give --key).");
        return 2;
    }

    var engines = LoadEngines();
    var folder = Path.GetFullPath(data);
    var agent = new InProcessAgent(
        Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar)),
        folder,
        new InProcessAgentOptions
        {
            MaxUploadBytes = maxBytes,
            Engine = engines.Get(BuiltInEngine.EngineName),
            Engines = engines.Names.Select(engines.Get).ToList(),
        });
    var dispatcher = new AgentChannelDispatcher(agent, Path.Combine(folder, "uploads"), maxBytes);
    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        stop.Cancel();
    };
    AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
    Console.WriteLine($"serving {folder} for {portalUri} with engines {string.Join(", ", engines.Names)}");
    return await new PortalDialer(portalUri, key.Trim(), dispatcher, Console.Out).RunAsync(stop.Token);
}

string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
