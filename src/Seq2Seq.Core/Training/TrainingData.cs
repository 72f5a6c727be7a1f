using Microsoft.Extensions.Logging;
using Seq2Seq.Checkpoints;
using Seq2Seq.Data;
using Seq2Seq.IO;
using Seq2Seq.Text;

namespace Seq2Seq.Training;

/// <summary>
/// The tokenizers and the tokenized training and validation sets of a run. Tokenizers come from the run
/// folder (when resuming), from a folder prepared earlier, or are learned here from the training text.
/// </summary>
internal sealed class TrainingData
{
    public required SubwordTokenizer SourceTokenizer { get; init; }
    public required SubwordTokenizer TargetTokenizer { get; init; }
    public required List<TokenizedPair> Train { get; init; }
    public required List<TokenizedPair> Valid { get; init; }

    /// <summary>Validation sources as given, the input for decoding.</summary>
    public required List<string> ValidSources { get; init; }

    /// <summary>Validation targets as given, the references for BLEU.</summary>
    public required List<string> ValidReferences { get; init; }

    /// <summary>Reads, tokenizes and filters the corpora named by <paramref name="data"/>.</summary>
    public static TrainingData Load(DataOptions data, TokenizerOptions tokenizer, RunDirectory run, ILogger logger)
    {
        var trainFiles = CorpusFiles.Resolve(data.Train, data.SourceLanguage, data.TargetLanguage);
        var validFiles = CorpusFiles.Resolve(data.Valid, data.SourceLanguage, data.TargetLanguage);
        var trainPairs = ParallelCorpus.Read(trainFiles);
        var validPairs = ParallelCorpus.Read(validFiles);
        logger.LogInformation("Read {Train} training pairs from {TrainFiles} and {Valid} validation pairs from {ValidFiles}",
            trainPairs.Count, trainFiles, validPairs.Count, validFiles);

        if (!BpePreparation.Exists(run.TokenizerDirectory))
        {
            if (tokenizer.Directory.Length > 0)
            {
                BpePreparation.Copy(tokenizer.Directory, run.TokenizerDirectory);
                logger.LogInformation("Using the tokenizers prepared in {Directory}", tokenizer.Directory);
            }
            else
            {
                var started = DateTime.UtcNow;
                BpePreparation.Learn(trainPairs.Select(p => TextNormalizer.Apply(p.Source)).ToList(),
                    trainPairs.Select(p => TextNormalizer.Apply(p.Target)).ToList(),
                    tokenizer.Joint, tokenizer.VocabSize, tokenizer.MinFrequency, run.TokenizerDirectory, tokenizer.SplitPunctuation);
                logger.LogInformation("Learned {Kind} BPE ({Size} entries per side at most) in {Seconds:F1} s",
                    tokenizer.Joint ? "joint" : "separate", tokenizer.VocabSize, (DateTime.UtcNow - started).TotalSeconds);
            }
        }
        var source = SubwordTokenizer.Load(run.TokenizerDirectory, BpePreparation.SourcePrefix);
        var target = SubwordTokenizer.Load(run.TokenizerDirectory, BpePreparation.TargetPrefix);

        var train = Tokenize(trainPairs, source, target);
        int before = train.Count;
        train = train.Where(p => Keep(p, data)).ToList();
        logger.LogInformation("Kept {Kept} of {Total} training pairs ({Dropped} empty or over the length limits: source {MaxSource}, target {MaxTarget} tokens, ratio {Ratio})",
            train.Count, before, before - train.Count, data.MaxSourceLength, data.MaxTargetLength, data.MaxLengthRatio);
        if (train.Count == 0) throw InputException.In(trainFiles.ToString(), "no training pair is left after length filtering");

        return new TrainingData
        {
            SourceTokenizer = source,
            TargetTokenizer = target,
            Train = train,
            Valid = Tokenize(validPairs, source, target),
            ValidSources = validPairs.Select(p => p.Source).ToList(),
            ValidReferences = validPairs.Select(p => p.Target).ToList(),
        };
    }

    private static List<TokenizedPair> Tokenize(List<SentencePair> pairs, SubwordTokenizer source, SubwordTokenizer target)
    {
        var result = new TokenizedPair[pairs.Count];
        Parallel.For(0, pairs.Count, i => result[i] = new TokenizedPair(source.Encode(pairs[i].Source), target.Encode(pairs[i].Target)));
        return [.. result];
    }

    private static bool Keep(TokenizedPair pair, DataOptions data)
    {
        int s = pair.Source.Length, t = pair.Target.Length;
        if (s == 0 || t == 0 || s > data.MaxSourceLength || t > data.MaxTargetLength) return false;
        return data.MaxLengthRatio <= 0 || Math.Max(s, t) <= data.MaxLengthRatio * Math.Min(s, t);
    }
}
