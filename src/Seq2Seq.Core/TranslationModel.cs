using Seq2Seq.Checkpoints;
using Seq2Seq.Inference;
using Seq2Seq.Inspection;
using Seq2Seq.IO;
using Seq2Seq.Model;
using Seq2Seq.Runtime;
using Seq2Seq.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Seq2Seq;

/// <summary>
/// A trained model, or an ensemble of several, opened for translation: the one type a program needs.
/// <code>
/// using var model = TranslationModel.Open("checkpoints/multi30k-en-de");
/// string german = model.Translate("A man is riding a bike.");
/// </code>
/// Thread safety: every method may be called from any thread; calls run one at a time (an internal lock),
/// because a model's modules must not run two searches at once. For more throughput, batch many texts into
/// one <see cref="Translate(IReadOnlyList{string}, SearchOptions?, int)"/> call, or open one model per thread.
/// Disposing waits for a running call, frees the model, and makes later calls throw <see cref="ObjectDisposedException"/>.
/// </summary>
public sealed class TranslationModel : IDisposable
{
    private readonly object _gate = new();
    private readonly IReadOnlyList<Seq2SeqModel> _members;
    private readonly Ensemble _ensemble;
    private readonly Translator _translator;
    private readonly ThreadGovernor _threads;
    private readonly Device _device;
    private bool _disposed;

    private TranslationModel(IReadOnlyList<Checkpoint> checkpoints, IReadOnlyList<Seq2SeqModel> members, IReadOnlyList<double>? weights,
        Device device, string precision, int maxSourceTokens, ThreadGovernor threads)
    {
        _members = members;
        _ensemble = new Ensemble(members, weights);
        _device = device;
        _threads = threads;
        var first = checkpoints[0];
        SourceTokenizer = first.SourceTokenizer;
        TargetTokenizer = first.TargetTokenizer;
        _translator = new Translator(_ensemble, SourceTokenizer, TargetTokenizer, device) { MaxSourceTokens = maxSourceTokens, Threads = threads };
        using var scope = NewDisposeScope();
        Info = new TranslationModelInfo([.. checkpoints.Select(c => c.Directory)], first.Manifest.Step, first.Manifest.CreatedUtc, first.Config,
            SourceTokenizer.VocabularySize, TargetTokenizer.VocabularySize, members.Sum(m => m.ParameterCount()),
            device.ToString(), precision, maxSourceTokens, get_num_threads());
    }

    /// <summary>Opens a checkpoint folder, or a training run folder (its best checkpoint).</summary>
    /// <exception cref="InputException">A folder or file is missing, damaged or does not fit (the message names it).</exception>
    public static TranslationModel Open(string path, TranslationModelOptions? options = null) => Open([path], options);

    /// <summary>
    /// Opens several checkpoints that decode as one ensemble (log-linear average of their predictions); they must
    /// share their vocabularies. Sets libtorch's CPU threads (see <see cref="TranslationModelOptions.Threads"/>).
    /// </summary>
    /// <exception cref="InputException">A folder or file is missing, damaged or does not fit, or the members' vocabularies differ.</exception>
    public static TranslationModel Open(IReadOnlyList<string> paths, TranslationModelOptions? options = null)
    {
        options ??= new TranslationModelOptions();
        if (paths.Count == 0) throw new InputException("give at least one model");
        var weights = options.EnsembleWeights is { Count: > 0 } w ? w : null;
        Ensemble.CheckWeights(weights, paths.Count);
        if (options.MaxSourceTokens < 1) throw new InputException("the source length limit must be at least 1 subword");
        var dtype = Precision.Parse(options.Precision);
        var threads = ThreadGovernor.Start(options.Threads, options.Logger);
        var checkpoints = paths.Select(Checkpoint.Open).ToList();
        foreach (var other in checkpoints.Skip(1)) RequireSameVocabularies(checkpoints[0], other);
        var device = DeviceSelector.Resolve(options.Device);
        var members = new List<Seq2SeqModel>();
        try
        {
            foreach (var checkpoint in checkpoints)
            {
                var member = checkpoint.LoadModel(device);
                members.Add(member);
                if (dtype != ScalarType.Float32) member.to(dtype);
            }
            return new TranslationModel(checkpoints, members, weights, device, options.Precision.ToLowerInvariant(), options.MaxSourceTokens, threads);
        }
        catch
        {
            foreach (var member in members) member.Dispose();
            throw;
        }
    }

    /// <summary>Sentences searched or scored together unless a call says otherwise (results never depend on it).</summary>
    public const int DefaultBatchSize = 32;

    /// <summary>The tokenizer of source texts (shared by every member).</summary>
    public SubwordTokenizer SourceTokenizer { get; }

    /// <summary>The tokenizer of target texts (shared by every member).</summary>
    public SubwordTokenizer TargetTokenizer { get; }

    /// <summary>Checkpoint, configuration, size, device and precision.</summary>
    public TranslationModelInfo Info { get; }

    /// <summary>libtorch's CPU threads in force now: fixed, or following the machine's load (see <see cref="TranslationModelOptions.Threads"/>).</summary>
    public int Threads => _threads.Threads;

    /// <summary>Translates one text with the default search (beam 5); "" for an empty text.</summary>
    public string Translate(string text, SearchOptions? search = null) => Translate([text], search)[0].Best;

    /// <summary>
    /// Translates texts in batches of at most <paramref name="batchSize"/> (results in input order; a text's
    /// translation never depends on the others). Each result holds the n-best candidates with their tokens,
    /// log-probabilities and attention.
    /// </summary>
    public IReadOnlyList<Translation> Translate(IReadOnlyList<string> texts, SearchOptions? search = null, int batchSize = DefaultBatchSize) =>
        Translate(texts, prefixes: null, search, batchSize);

    /// <summary>
    /// Translates texts, each forced to start with the words of its prefix (one per text; "" for none), as an
    /// interactive translator completes what a person has typed. The prefix's log-probability counts in the
    /// translation's score, so <see cref="Score"/> of the result gives it back. With <see cref="SearchOptions.Alternatives"/>
    /// each translation also offers that many next words where it becomes free, each with its own completion.
    /// </summary>
    /// <exception cref="InputException">A prefix cannot be used (<see cref="PrefixProblem"/>).</exception>
    public IReadOnlyList<Translation> Translate(IReadOnlyList<string> texts, IReadOnlyList<string>? prefixes, SearchOptions? search = null,
        int batchSize = DefaultBatchSize)
    {
        search ??= new SearchOptions();
        search.Validate();
        return Locked(() => _translator.Translate(texts, search, batchSize, prefixes));
    }

    /// <summary>
    /// Why <paramref name="prefix"/> cannot start a translation of <paramref name="text"/> (the text is empty, or the
    /// prefix holds characters no target subword covers), or null when it can; <see cref="Translate(IReadOnlyList{string}, IReadOnlyList{string}?, SearchOptions?, int)"/>
    /// refuses such prefixes. A prefix longer than the length limit is kept whole.
    /// </summary>
    public string? PrefixProblem(string text, string prefix) => _translator.PrefixProblem(text, prefix);

    /// <summary>Log-probabilities of given translations (forced decoding), per token and in total, in input order.</summary>
    public IReadOnlyList<ScoredPair> Score(IReadOnlyList<(string Source, string Target)> pairs, int batchSize = DefaultBatchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return Locked(() => Scorer.ScoreAll(_ensemble, SourceTokenizer, TargetTokenizer, pairs, batchSize, _device));
    }

    /// <summary>The best translation of <paramref name="text"/> with its attention: source pieces (and &lt;/s&gt;) across, target pieces down.</summary>
    /// <exception cref="InputException">The text is empty: there is no attention to show.</exception>
    public AttentionMatrix Attention(string text, SearchOptions? search = null)
    {
        var translation = Translate([text], search)[0];
        if (translation.Candidates.Count == 0) throw new InputException("the text is empty; there is no attention to show");
        return AttentionMatrices.Of(translation, SourceTokenizer, TargetTokenizer);
    }

    /// <summary>
    /// Iteration-level batching on this model, for the one thread that then owns the model (the service's worker;
    /// it bypasses the lock, so nothing else may translate meanwhile).
    /// </summary>
    internal ContinuousSearch StartContinuousSearch(int maxJoinWaitSteps = 0) => new(_translator, maxJoinWaitSteps);

    private T Locked<T>(Func<T> work)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _threads.ApplyToCurrentThread();
            return work();
        }
    }

    /// <summary>Ensemble members must read and write the same subwords: their tokenizer files must be identical.</summary>
    private static void RequireSameVocabularies(Checkpoint first, Checkpoint other)
    {
        foreach (string prefix in new[] { Checkpoint.SourcePrefix, Checkpoint.TargetPrefix })
        foreach (string name in new[] { BpeModel.VocabularyFileName, BpeModel.MergesFileName })
        {
            string file = prefix + name;
            if (!File.ReadAllBytes(Path.Combine(first.Directory, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(other.Directory, file))))
                throw InputException.In(Path.Combine(other.Directory, file),
                    $"differs from {Path.Combine(first.Directory, file)}: ensemble members must share their vocabularies (train them from one tokenizer folder, Tokenizer:Directory)");
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var member in _members) member.Dispose();
        }
    }
}
