using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using FTLPortal.Federation.Communication;
using FTLPortal.Federation.SecureAggregation;
using FTLPortal.Learning.Data;
using FTLPortal.Learning.Engines;
using FTLPortal.Learning.Metrics;
using FTLPortal.Learning.Models;
using FTLPortal.Learning.Serialization;
using FTLPortal.Learning.Summaries;
using FTLPortal.Learning.Tensors;
using FTLPortal.Learning.Training;

namespace FTLPortal.Federation.Agents;

/// <summary>
/// The embedded agent of one partner. It alone opens files in its storage folder: per domain a CSV
/// (<c>{domainId}.csv</c>), a JSON sidecar (<c>{domainId}.domain.json</c>, holding the label column) and the domain's fixed
/// split (<c>{domainId}.split.json</c>, a <see cref="DomainSplit"/> made at registration and seeded by the domain id, so every
/// job trains, validates and tests on the same rows whatever its seed). Parsed datasets are cached in memory. Calls on different domains run concurrently; calls on one domain are safe together
/// (registration and deletion of a domain are serialized).
/// <para>
/// Local layers (FedBN: batch-norm layers with <c>LocalStatistics</c>, listed by <c>ModelArchitecture.LocalLayerNames()</c>)
/// never leave the agent: updates leave them out, and for requests with a run id the agent keeps them in memory per
/// (run, domain) between rounds and uses them to evaluate. Kept state is bounded by
/// <see cref="InProcessAgentOptions.LocalStateRetention"/> and <see cref="InProcessAgentOptions.MaxLocalStates"/>, and is
/// lost when the process ends (the layers then restart from the global weights).
/// </para>
/// </summary>
public sealed class InProcessAgent : IFederatedAgent
{
    private const string DataExtension = ".csv";
    private const string SidecarExtension = ".domain.json";
    private const string TempExtension = ".upload.tmp";

    private static readonly JsonSerializerOptions SidecarJson = new() { WriteIndented = true };

    private readonly string _storageFolder;
    private readonly InProcessAgentOptions _options;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _domainLocks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TabularDataset> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DomainSplit> _splits = new(StringComparer.Ordinal);
    private readonly LocalLayerStore _localLayers;
    private readonly SecureAggregationSessions _secure = new();

    public InProcessAgent(string partnerId, string storageFolder, InProcessAgentOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(partnerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(storageFolder);
        PartnerId = partnerId;
        _storageFolder = Path.GetFullPath(storageFolder);
        _options = options ?? new InProcessAgentOptions();
        if (_options.MaxUploadBytes <= 0)
        {
            throw new ArgumentException("The upload limit must be positive.", nameof(options));
        }

        if (_options.LocalStateRetention <= TimeSpan.Zero || _options.MaxLocalStates <= 0 || _options.TimeProvider is null)
        {
            throw new ArgumentException(
                "The local-state retention and the most local states kept must be positive, and a clock is needed.", nameof(options));
        }

        _localLayers = new LocalLayerStore(_options.LocalStateRetention, _options.MaxLocalStates, _options.TimeProvider);

        if (_options.MaxColumns < 2 || _options.MaxRows <= 0)
        {
            throw new ArgumentException("The column limit must be at least 2 and the row limit positive.", nameof(options));
        }

        PrivateFiles.CreateFolder(_storageFolder);
        // An upload interrupted by a crash leaves a temporary file: it was never valid, so it goes.
        foreach (string stale in Directory.EnumerateFiles(_storageFolder, "*" + TempExtension))
        {
            File.Delete(stale);
        }
    }

    public string PartnerId { get; }

    public IReadOnlyList<string> EngineNames => Offered.Select(e => e.Name).ToArray();

    public Task<DomainSummary> RegisterDomainAsync(
        string domainId, Stream csv, string labelColumn, SummaryOptions summaryOptions, CancellationToken ct) =>
        RegisterDomainAsync(domainId, csv, new DomainUpload(labelColumn), summaryOptions, ct);

    public async Task<DomainSummary> RegisterDomainAsync(
        string domainId, Stream csv, DomainUpload upload, SummaryOptions summaryOptions, CancellationToken ct)
    {
        ValidateDomainId(domainId);
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentException.ThrowIfNullOrWhiteSpace(upload.LabelColumn);
        ArgumentNullException.ThrowIfNull(summaryOptions);
        string labelColumn = upload.LabelColumn;
        CsvReadOptions readOptions = ReadOptions(upload, _options.MaxUploadBytes);

        SemaphoreSlim gate = LockFor(domainId);
        await gate.WaitAsync(ct).ConfigureAwait(false);
        string temp = Path.Combine(_storageFolder, $".{domainId}.{Guid.NewGuid():N}{TempExtension}");
        string sidecarTemp = temp + ".json";
        string splitTemp = temp + DomainSplitFile.Extension;
        try
        {
            string sha256 = await CopyLimitedAsync(csv, temp, new CsvHeaderGuard(readOptions), ct).ConfigureAwait(false);
            TabularDataset dataset = await Task.Run(() => ReadCsv(temp, labelColumn, readOptions), ct).ConfigureAwait(false);
            if (dataset.ClassNames.Count < 2)
            {
                throw new DatasetFormatException(
                    $"The label column '{labelColumn}' has only one class ({string.Join(", ", dataset.ClassNames)}); at least two are needed.");
            }

            DomainSplit split = DomainSplit.Create(dataset, domainId);
            DomainSummary summary = DomainSummarizer.Summarize(dataset, summaryOptions);
            ct.ThrowIfCancellationRequested();

            var sidecar = new DomainSidecar(labelColumn, dataset.Rows, dataset.FeatureCount, sha256, DateTimeOffset.UtcNow)
            {
                OneHotEncodeCategoricals = upload.OneHotEncodeCategoricals,
                OneHotColumns = [.. upload.OneHotColumns],
            };
            await PrivateFiles.WriteAllTextAsync(sidecarTemp, JsonSerializer.Serialize(sidecar, SidecarJson), ct).ConfigureAwait(false);
            await PrivateFiles.WriteAllTextAsync(splitTemp, DomainSplitFile.Serialize(split), ct).ConfigureAwait(false);
            File.Move(temp, DataPath(domainId), overwrite: true);
            File.Move(splitTemp, SplitPath(domainId), overwrite: true);
            File.Move(sidecarTemp, SidecarPath(domainId), overwrite: true);
            _cache[domainId] = dataset;
            _splits[domainId] = split;
            _localLayers.RemoveDomain(domainId);
            return summary;
        }
        finally
        {
            TryDelete(temp);
            TryDelete(sidecarTemp);
            TryDelete(splitTemp);
            gate.Release();
        }
    }

    public async Task<DomainSummary> GetSummaryAsync(string domainId, SummaryOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        TabularDataset dataset = await LoadAsync(domainId, ct).ConfigureAwait(false);
        return await Task.Run(() => DomainSummarizer.Summarize(dataset, options), ct).ConfigureAwait(false);
    }

    public Task<bool> HasDomainAsync(string domainId, CancellationToken ct)
    {
        ValidateDomainId(domainId);
        return Task.FromResult(File.Exists(DataPath(domainId)) && File.Exists(SidecarPath(domainId)));
    }

    public async Task DeleteDomainAsync(string domainId, CancellationToken ct)
    {
        ValidateDomainId(domainId);
        SemaphoreSlim gate = LockFor(domainId);
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            _cache.TryRemove(domainId, out _);
            _splits.TryRemove(domainId, out _);
            _localLayers.RemoveDomain(domainId);
            File.Delete(SidecarPath(domainId));
            File.Delete(SplitPath(domainId));
            File.Delete(DataPath(domainId));
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task<PretrainResult> PretrainAsync(PretrainRequest request, IProgress<EpochMetrics>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.HiddenSizes);
        ArgumentNullException.ThrowIfNull(request.Training);
        TabularDataset dataset = await LoadAsync(request.DomainId, ct).ConfigureAwait(false);
        DomainSplit domainSplit = await LoadSplitAsync(request.DomainId, dataset, ct).ConfigureAwait(false);
        return await Task.Run(
            () =>
            {
                PreparedSplit split = PreparedSplit.From(dataset, domainSplit, request.ValidationFraction);
                ModelArchitecture architecture = ModelArchitecture.Mlp(dataset.FeatureCount, request.HiddenSizes, dataset.ClassNames);
                TrainingOptions training = request.Training with { FrozenLayers = new HashSet<string>(StringComparer.Ordinal) };
                IEngineModel Fit(PreparedSplit part, Action<EpochMetrics>? onEpoch, out TrainingHistory history)
                {
                    IEngineModel fresh = _options.Engine.Create(architecture, request.Training.Seed);
                    history = TrainOn(fresh, part, training, onEpoch, ct);
                    return fresh;
                }

                using IEngineModel model = Fit(split, progress is null ? null : progress.Report, out TrainingHistory history);
                var report = new ClassificationReportOptions();
                EvaluationResult validation = Evaluator.Evaluate(model, split.Validation, report with { BootstrapSamples = 0 }) with { Split = EvaluationSplits.Validation };
                return new PretrainResult(
                    architecture.ToJson(),
                    SafeTensorsFormat.ToBytes(model.GetWeights()),
                    architecture.ClassNames,
                    split.Train.Rows,
                    validation,
                    history)
                {
                    Test = Evaluator.Evaluate(model, split.Test, report) with { Split = EvaluationSplits.Test },
                    CrossValidated = domainSplit.Protocol == EvaluationProtocol.CrossValidation
                        ? CrossValidation.Estimate(dataset, domainSplit, request.ValidationFraction, part => Fit(part, null, out _), report, ct)
                        : null,
                };
            },
            ct).ConfigureAwait(false);
    }

    public async Task<ModelUpdate> TrainLocalAsync(LocalTrainingRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Training);
        ArgumentNullException.ThrowIfNull(request.GlobalWeights);
        TabularDataset dataset = await LoadAsync(request.DomainId, ct).ConfigureAwait(false);
        DomainSplit domainSplit = await LoadSplitAsync(request.DomainId, dataset, ct).ConfigureAwait(false);
        return await Task.Run(
            () =>
            {
                ITrainingEngine engine = EngineFor(request.Engine);
                using IEngineModel model = LoadModel(engine, request.ArchitectureJson, request.GlobalWeights, request.OwnHead ? dataset : null, request.HeadSeed, request.DomainId);
                var frozen = new HashSet<string>(request.FrozenLayers ?? [], StringComparer.Ordinal);
                string? unknown = frozen.FirstOrDefault(l => !model.Architecture.Layers.Any(s => s.Name == l));
                if (unknown is not null)
                {
                    throw new ArgumentException($"Frozen layer '{unknown}' is not a layer of the model.", nameof(request));
                }

                string[] trainable = model.Layers
                    .Where(l => l.ParameterCount > 0 && !frozen.Contains(l.Name))
                    .Select(l => l.Name)
                    .ToArray();
                if (trainable.Length == 0)
                {
                    throw new ArgumentException("Every layer with parameters is frozen: there is nothing to train.", nameof(request));
                }

                // FedBN: local layers are trained here but never sent; within a run they continue from this domain's last round.
                IReadOnlyList<string> local = [.. model.Architecture.LocalLayerNames().Union(request.PersonalLayers ?? [], StringComparer.Ordinal)];
                if (request.OwnHead && !local.Contains(model.Architecture.Layers[^1].Name, StringComparer.Ordinal))
                {
                    throw new ArgumentException(
                        $"A partner's own task head must stay local: list the output layer '{model.Architecture.Layers[^1].Name}' among the personal layers.", nameof(request));
                }

                string[] shared = trainable.Where(l => !local.Contains(l, StringComparer.Ordinal)).ToArray();
                RestoreLocalLayers(model, local, request.RunId, request.DomainId);
                WeightSet start = model.GetWeights();

                TabularDataset aligned = ForModel(dataset, request.DomainId, model.Architecture);
                PreparedSplit split = PreparedSplit.From(aligned, domainSplit, request.ValidationFraction);
                TrainingHistory history = request.PersonalHeadEpochs > 0 && request.PersonalLayers is { Count: > 0 } personal
                    ? TrainHeadThenBody(model, split, request, frozen, trainable, personal, ct)
                    : TrainOn(model, split, request.Training with { FrozenLayers = frozen }, null, ct);
                var report = request.Report ?? new ClassificationReportOptions();
                EvaluationResult validation = Evaluator.Evaluate(model, split.Validation, request.BootstrapValidation ? report : report with { BootstrapSamples = 0 }) with { Split = EvaluationSplits.Validation };
                if (request.RunId is not null && local.Count > 0)
                {
                    _localLayers.Set(request.RunId, request.DomainId, model.GetWeights(local));
                }

                WeightSet update = model.GetWeights(shared);
                double trainLoss = history.Epochs.Count > 0 ? history.Epochs[^1].TrainLoss : double.NaN;
                byte[] payload = request.MetricsOnly ? []
                    : request.UpdateEncoding == UpdateEncoding.FullPrecision
                    ? SafeTensorsFormat.ToBytes(update)
                    : QuantizedUpdateCodec.Encode(update, SafeTensorsFormat.FromBytes(request.GlobalWeights), request.UpdateEncoding);
                if (!request.EvaluateTest)
                {
                    return new ModelUpdate(PartnerId, request.Round, split.Train.Rows, payload, trainLoss, validation)
                    {
                        Encoding = request.UpdateEncoding,
                    };
                }

                IEngineModel FitFold(PreparedSplit part)
                {
                    IEngineModel fresh = engine.Create(model.Architecture, start);
                    TrainOn(fresh, part, request.Training with { FrozenLayers = frozen }, null, ct);
                    return fresh;
                }

                return new ModelUpdate(PartnerId, request.Round, split.Train.Rows, payload, trainLoss, validation)
                {
                    Encoding = request.UpdateEncoding,
                    Test = Evaluator.Evaluate(model, split.Test, report) with { Split = EvaluationSplits.Test },
                    CrossValidated = domainSplit.Protocol == EvaluationProtocol.CrossValidation
                        ? CrossValidation.Estimate(aligned, domainSplit, request.ValidationFraction, FitFold, report, ct)
                        : null,
                };
            },
            ct).ConfigureAwait(false);
    }

    public bool SupportsSecureAggregation => true;

    public Task<KeyAdvertisement> AdvertiseKeysAsync(SecureKeysRequest request, CancellationToken ct) =>
        Task.FromResult(_secure.Advertise(request));

    public Task<IReadOnlyList<EncryptedShares>> ShareKeysAsync(SecureSharesRequest request, CancellationToken ct) =>
        Task.FromResult(_secure.Share(request));

    /// <summary>
    /// Trains as <see cref="TrainLocalAsync"/> does, then computes the change against the global weights, checks it
    /// (finite, clipped to the bound), encodes <c>[n·Δ, n]</c> in fixed point and masks it here: the plain update never
    /// leaves this method.
    /// </summary>
    public async Task<MaskedModelUpdate> TrainMaskedAsync(SecureTrainingRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Training);
        ArgumentNullException.ThrowIfNull(request.Shares);
        ArgumentNullException.ThrowIfNull(request.Tensors);
        if (!string.Equals(request.Training.DomainId, request.Session.DomainId, StringComparison.Ordinal) || request.Training.Round != request.Session.Round)
        {
            throw new ArgumentException("The training request names another domain or round than its secure session.", nameof(request));
        }

        _secure.EnsureShared(request.Session);
        ModelUpdate plain = await TrainLocalAsync(
            request.Training with { UpdateEncoding = UpdateEncoding.FullPrecision, EvaluateTest = false }, ct).ConfigureAwait(false);
        return await Task.Run(
            () =>
            {
                WeightSet global = SafeTensorsFormat.FromBytes(request.Training.GlobalWeights);
                (ulong[] input, bool clipped) = FixedPointUpdate.Encode(
                    global, SafeTensorsFormat.FromBytes(plain.Weights), request.Tensors, plain.SampleCount, request.MaxUpdateNorm, request.Noise);
                ulong[] masked = _secure.Mask(request.Session, request.Shares, input);
                Array.Clear(input);
                return new MaskedModelUpdate(PartnerId, plain.Round, ClientIdOf(request), plain.SampleCount, masked, plain.TrainLoss, plain.Validation)
                {
                    Clipped = clipped,
                };
            },
            ct).ConfigureAwait(false);
    }

    public Task<UnmaskingResponse> UnmaskAsync(SecureUnmaskRequest request, CancellationToken ct) =>
        Task.FromResult(_secure.Unmask(request));

    private int ClientIdOf(SecureTrainingRequest request) => _secure.ClientId(request.Session);

    /// <summary>FedRep: the personal head first with the backbone frozen, then the backbone with the head frozen.</summary>
    private static TrainingHistory TrainHeadThenBody(
        IEngineModel model, PreparedSplit split, LocalTrainingRequest request, HashSet<string> frozen, string[] trainable, IReadOnlyList<string> personal, CancellationToken ct)
    {
        var bodyFrozen = new HashSet<string>(frozen.Concat(trainable.Except(personal, StringComparer.Ordinal)), StringComparer.Ordinal);
        TrainOn(model, split, request.Training with { Epochs = request.PersonalHeadEpochs, FrozenLayers = bodyFrozen }, null, ct);
        var headFrozen = new HashSet<string>(frozen.Concat(personal), StringComparer.Ordinal);
        return TrainOn(model, split, request.Training with { FrozenLayers = headFrozen }, null, ct);
    }

    public async Task<EvaluationResult> EvaluateAsync(EvaluationRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Weights);
        ArgumentNullException.ThrowIfNull(request.Split);
        TabularDataset dataset = await LoadAsync(request.DomainId, ct).ConfigureAwait(false);
        DomainSplit domainSplit = await LoadSplitAsync(request.DomainId, dataset, ct).ConfigureAwait(false);
        return await Task.Run(
            () =>
            {
                (IEngineModel model, TabularDataset rows) = ModelAndRows(request, dataset, domainSplit);
                ClassificationReportOptions report = request.Report ?? new ClassificationReportOptions
                {
                    BootstrapSamples = request.Split == EvaluationSplits.Test ? new ClassificationReportOptions().BootstrapSamples : 0,
                };
                using (model)
                {
                    return Evaluator.Evaluate(model, rows, report) with { Split = request.Split };
                }
            },
            ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The class probabilities that <see cref="EvaluateAsync"/> scores, row by row (rows × classes) with the split's rows as
    /// they are stored (not standardized) and their labels: for tests that compare the portal's predictions with an
    /// exported model's. Rows never leave the agent in production.
    /// </summary>
    internal async Task<(TabularDataset Rows, float[] Probabilities)> PredictAsync(EvaluationRequest request, CancellationToken ct)
    {
        TabularDataset dataset = await LoadAsync(request.DomainId, ct).ConfigureAwait(false);
        DomainSplit domainSplit = await LoadSplitAsync(request.DomainId, dataset, ct).ConfigureAwait(false);
        (IEngineModel model, TabularDataset rows) = ModelAndRows(request, dataset, domainSplit);
        using IEngineModel owned = model;
        SplitRows parts = domainSplit.Parts(dataset, request.ValidationFraction);
        IReadOnlyList<int> indices = request.Split == EvaluationSplits.Test ? parts.Test : parts.Validation;
        return (dataset.Subset([.. indices]), Evaluator.Probabilities(model, rows));
    }

    /// <summary>
    /// What the domain's models need to reproduce its inputs outside the agent: the feature names and the standardization
    /// fitted on its fixed train rows (the same statistics training and evaluation use), with the train row count.
    /// </summary>
    public async Task<DomainPreprocessing> GetPreprocessingAsync(string domainId, double validationFraction, CancellationToken ct)
    {
        TabularDataset dataset = await LoadAsync(domainId, ct).ConfigureAwait(false);
        DomainSplit domainSplit = await LoadSplitAsync(domainId, dataset, ct).ConfigureAwait(false);
        PreparedSplit split = PreparedSplit.From(dataset, domainSplit, validationFraction);
        return new DomainPreprocessing(
            domainId, dataset.FeatureNames, split.Standardizer.Means, split.Standardizer.StandardDeviations, split.Train.Rows, domainSplit.Protocol);
    }

    /// <summary>The fixed split of a registered domain (for tests that check no job trains on its test rows).</summary>
    internal async Task<SplitRows> SplitRowsAsync(string domainId, double validationFraction, CancellationToken ct)
    {
        TabularDataset dataset = await LoadAsync(domainId, ct).ConfigureAwait(false);
        DomainSplit domainSplit = await LoadSplitAsync(domainId, dataset, ct).ConfigureAwait(false);
        return domainSplit.Parts(dataset, validationFraction);
    }

    private (IEngineModel Model, TabularDataset Rows) ModelAndRows(EvaluationRequest request, TabularDataset dataset, DomainSplit domainSplit)
    {
        IEngineModel model = LoadModel(EngineFor(request.Engine), request.ArchitectureJson, request.Weights, request.OwnHead ? dataset : null, request.HeadSeed, request.DomainId);
        try
        {
            RestoreLocalLayers(
                model, [.. model.Architecture.LocalLayerNames().Union(request.PersonalLayers ?? [], StringComparer.Ordinal)], request.RunId, request.DomainId);
            PreparedSplit split = PreparedSplit.From(ForModel(dataset, request.DomainId, model.Architecture), domainSplit, request.ValidationFraction);
            return (model, split.For(request.Split));
        }
        catch
        {
            model.Dispose(); // libtorch memory is not the GC's to reclaim promptly
            throw;
        }
    }

    /// <summary>
    /// Overwrites the model's local layers with those kept for (<paramref name="runId"/>, <paramref name="domainId"/>), if any.
    /// State that no longer fits the model (another architecture under the same run id) is dropped, not applied.
    /// </summary>
    private void RestoreLocalLayers(IEngineModel model, IReadOnlyList<string> local, string? runId, string domainId)
    {
        if (runId is null || local.Count == 0 || !_localLayers.TryGet(runId, domainId, out WeightSet? kept))
        {
            return;
        }

        // A partner that switched to its own head mid-run (negative-transfer action) has more local layers than it kept:
        // the kept ones still apply, the head starts from the global weights.
        WeightSet expected = model.GetWeights(local);
        bool fits = kept.Count > 0
            && kept.All(k => expected.TryGet(k.Name, out NamedTensor? t) && k.HasShape(t.Shape));
        if (fits)
        {
            model.SetWeights(kept);
        }
        else
        {
            _localLayers.Remove(runId, domainId);
        }
    }

    /// <summary>The number of (run, domain) local-layer states kept (for tests).</summary>
    internal int LocalStateCount => _localLayers.Count;

    /// <summary>The local-layer tensors kept for (<paramref name="runId"/>, <paramref name="domainId"/>), as a copy (for tests).</summary>
    internal WeightSet? KeptLocalLayers(string runId, string domainId) =>
        _localLayers.TryGet(runId, domainId, out WeightSet? kept) ? kept : null;

    /// <summary>Trains on the split's train rows; with early stopping, on validation loss, keeping the best epoch's weights.</summary>
    private static TrainingHistory TrainOn(
        IEngineModel model, PreparedSplit split, TrainingOptions options, Action<EpochMetrics>? onEpoch, CancellationToken ct)
    {
        if (options.EarlyStoppingPatience <= 0)
        {
            return model.Train(split.Train, options, onEpoch, ct);
        }

        // Epoch-level early stopping needs the trainer's per-epoch hook on managed weights: the built-in engine's.
        return model is BuiltInModel builtIn
            ? ValidatedTraining.Train(builtIn.Model, split.Train, split.Validation, options, onEpoch, ct).History
            : throw new NotSupportedException("Early stopping within local training is offered by the built-in engine only; turn it off or choose the built-in engine.");
    }

    /// <summary>
    /// The model from the global architecture and weights; with <paramref name="ownHeadFor"/> (multitask) its output layer
    /// is the domain's own task head, sized to that dataset's classes (<see cref="TaskHead"/>).
    /// </summary>
    private static IEngineModel LoadModel(ITrainingEngine engine, string architectureJson, byte[] weights, TabularDataset? ownHeadFor = null, int headSeed = 0, string domainId = "")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(architectureJson);
        ModelArchitecture architecture = ModelArchitecture.FromJson(architectureJson);
        WeightSet set = SafeTensorsFormat.FromBytes(weights);
        if (ownHeadFor is null)
        {
            return engine.Create(architecture, set);
        }

        ModelArchitecture own = TaskHead.Architecture(architecture, ownHeadFor.ClassNames, domainId);
        return engine.Create(own, TaskHead.InitialWeights(own, set, headSeed, domainId));
    }

    /// <summary>The offered engine called <paramref name="name"/> (null or empty: the default one).</summary>
    private ITrainingEngine EngineFor(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return _options.Engine;
        }

        return Offered.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new EngineNotOfferedException(
                $"The agent of partner '{PartnerId}' does not offer the training engine '{name}' (it offers: {string.Join(", ", EngineNames)}).");
    }

    private IReadOnlyList<ITrainingEngine> Offered => _options.Engines.Count > 0 ? _options.Engines : [_options.Engine];

    private static TabularDataset ForModel(TabularDataset dataset, string domainId, ModelArchitecture architecture)
    {
        if (dataset.FeatureCount != architecture.InputSize)
        {
            throw new IncompatibleDomainException(
                $"Domain '{domainId}' has {dataset.FeatureCount} features but the model expects {architecture.InputSize}.");
        }

        string[] unknown = dataset.ClassNames.Except(architecture.ClassNames, StringComparer.Ordinal).ToArray();
        if (unknown.Length > 0)
        {
            throw new IncompatibleDomainException(
                $"Domain '{domainId}' has class(es) {string.Join(", ", unknown.Select(c => $"'{c}'"))} that the model does not know "
                + $"(model classes: {string.Join(", ", architecture.ClassNames)}).");
        }

        return dataset.WithClassOrder(architecture.ClassNames);
    }

    private async Task<TabularDataset> LoadAsync(string domainId, CancellationToken ct)
    {
        ValidateDomainId(domainId);
        if (_cache.TryGetValue(domainId, out TabularDataset? cached))
        {
            return cached;
        }

        SemaphoreSlim gate = LockFor(domainId);
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_cache.TryGetValue(domainId, out cached))
            {
                return cached;
            }

            string dataPath = DataPath(domainId);
            string sidecarPath = SidecarPath(domainId);
            if (!File.Exists(dataPath) || !File.Exists(sidecarPath))
            {
                throw new DomainNotFoundException($"Partner '{PartnerId}' has no domain '{domainId}'.");
            }

            DomainSidecar sidecar = JsonSerializer.Deserialize<DomainSidecar>(
                await File.ReadAllTextAsync(sidecarPath, ct).ConfigureAwait(false), SidecarJson)
                ?? throw new DatasetFormatException($"The metadata of domain '{domainId}' is empty.");
            // Stored files were validated on upload; later, lower limits must not lock them out.
            var upload = new DomainUpload(sidecar.LabelColumn)
            {
                OneHotEncodeCategoricals = sidecar.OneHotEncodeCategoricals,
                OneHotColumns = sidecar.OneHotColumns ?? [],
            };
            CsvReadOptions stored = ReadOptions(upload, long.MaxValue) with
            {
                MaxColumns = int.MaxValue,
                MaxRows = int.MaxValue,
                MaxValues = long.MaxValue,
                MaxClasses = int.MaxValue,
            };
            TabularDataset dataset = await Task.Run(() => ReadCsv(dataPath, sidecar.LabelColumn, stored), ct).ConfigureAwait(false);
            _cache[domainId] = dataset;
            return dataset;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// The domain's fixed split. A domain registered before splits were kept gets one now, from its id, exactly as
    /// registration would have made it, and it is stored so that it never changes afterwards.
    /// </summary>
    private async Task<DomainSplit> LoadSplitAsync(string domainId, TabularDataset dataset, CancellationToken ct)
    {
        if (_splits.TryGetValue(domainId, out DomainSplit? cached) && cached.Rows == dataset.Rows)
        {
            return cached;
        }

        SemaphoreSlim gate = LockFor(domainId);
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            string path = SplitPath(domainId);
            DomainSplit? split = await DomainSplitFile.ReadAsync(path, dataset.Rows, ct).ConfigureAwait(false);
            if (split is null)
            {
                split = DomainSplit.Create(dataset, domainId);
                string temp = Path.Combine(_storageFolder, $".{domainId}.{Guid.NewGuid():N}{TempExtension}");
                await PrivateFiles.WriteAllTextAsync(temp, DomainSplitFile.Serialize(split), ct).ConfigureAwait(false);
                File.Move(temp, path, overwrite: false);
            }

            _splits[domainId] = split;
            return split;
        }
        finally
        {
            gate.Release();
        }
    }

    private static TabularDataset ReadCsv(string path, string labelColumn, CsvReadOptions options)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return CsvDatasetReader.Read(stream, labelColumn, options);
    }

    private CsvReadOptions ReadOptions(DomainUpload upload, long maxBytes) => new()
    {
        MaxBytes = maxBytes,
        MaxColumns = _options.MaxColumns,
        MaxRows = _options.MaxRows,
        OneHotEncodeCategoricals = upload.OneHotEncodeCategoricals,
        OneHotColumns = upload.OneHotColumns,
    };

    /// <summary>
    /// Copies the upload to <paramref name="path"/>, failing as soon as it exceeds the size limit or its header the column
    /// limit (so neither is read to the end); returns its SHA-256.
    /// </summary>
    private async Task<string> CopyLimitedAsync(Stream source, string path, CsvHeaderGuard header, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var destination = PrivateFiles.CreateNew(path, useAsync: true);
        await using (destination.ConfigureAwait(false))
        {
            var buffer = new byte[81920];
            long total = 0;
            int read;
            while ((read = await source.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (total > _options.MaxUploadBytes)
                {
                    throw new DatasetFormatException(
                        $"The file is larger than the upload limit of {_options.MaxUploadBytes:N0} bytes.");
                }

                header.Append(buffer.AsSpan(0, read));
                hash.AppendData(buffer, 0, read);
                await destination.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
            }

            if (total == 0)
            {
                throw new DatasetFormatException("The file is empty.");
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private SemaphoreSlim LockFor(string domainId) => _domainLocks.GetOrAdd(domainId, static _ => new SemaphoreSlim(1, 1));

    private string DataPath(string domainId) => Path.Combine(_storageFolder, domainId + DataExtension);

    private string SidecarPath(string domainId) => Path.Combine(_storageFolder, domainId + SidecarExtension);

    private string SplitPath(string domainId) => Path.Combine(_storageFolder, domainId + DomainSplitFile.Extension);

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary file is removed when the agent next starts.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Domain ids become file names: letters, digits, '-', '_' and inner '.', at most 128 characters.</summary>
    internal static void ValidateDomainId(string domainId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(domainId);
        bool valid = domainId.Length <= 128
            && char.IsAsciiLetterOrDigit(domainId[0])
            && domainId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            && !domainId.Contains("..", StringComparison.Ordinal)
            && !domainId.EndsWith('.');
        if (!valid)
        {
            throw new ArgumentException(
                $"Domain id '{domainId}' is not valid: use letters, digits, '-', '_' and '.', starting with a letter or digit.",
                nameof(domainId));
        }
    }


    private sealed record DomainSidecar(string LabelColumn, int Rows, int Features, string Sha256, DateTimeOffset RegisteredAt)
    {
        // Absent in sidecars written before one-hot encoding was offered: those domains had none.
        public bool OneHotEncodeCategoricals { get; init; }

        public IReadOnlyList<string>? OneHotColumns { get; init; }
    }
}
