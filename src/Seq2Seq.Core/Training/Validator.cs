using Seq2Seq.Data;
using Seq2Seq.Evaluation;
using Seq2Seq.Inference;
using Seq2Seq.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Seq2Seq.Training;

/// <summary>
/// Measures a model on the validation set: loss per token and perplexity by forced decoding, and BLEU and
/// chrF of its decoded output against the references.
/// </summary>
internal sealed class Validator(TrainingData data, TrainingOptions options, Device device)
{
    /// <summary>The sentence whose translation <see cref="Run"/> returns as its sample: the first non-empty validation source.</summary>
    private readonly int _sample = data.ValidSources.FindIndex(s => !string.IsNullOrWhiteSpace(s));

    /// <summary>
    /// Runs one validation; leaves the model in evaluation mode. <c>Sample</c> is the translation of the same
    /// validation sentence every time (null when every source is empty), for watching its attention.
    /// </summary>
    public (double Loss, double Perplexity, double Bleu, double ChrF, Translation? Sample) Run(Seq2SeqModel model)
    {
        model.eval();
        double nll = 0;
        long tokens = 0;
        using (var inference = torch.inference_mode())
        {
            foreach (var indices in TokenBatcher.Plan(data.Valid, options.BatchTokens, options.MaxBatchSentences, shuffle: false, 0, 0))
            {
                using var scope = NewDisposeScope();
                using var batch = Batch.Create(indices.Select(i => data.Valid[i].Source).ToList(), indices.Select(i => data.Valid[i].Target).ToList(), device);
                var (logits, _) = model.forward(batch.Source, batch.SourceLengths, batch.TargetInput!);
                var (_, batchNll) = SequenceLoss.Compute(logits, batch.TargetOutput!, 0);
                nll += batchNll.item<float>();
                tokens += batch.TargetTokens;
            }
        }
        var translator = new Translator(model, data.SourceTokenizer, data.TargetTokenizer, device);
        var search = new SearchOptions { BeamSize = options.ValidationBeamSize, LengthPenalty = options.ValidationBeamSize > 1 ? 1.0 : 0.0 };
        var translations = translator.Translate(data.ValidSources, search, batchSize: 64);
        var hypotheses = translations.Select(t => t.Best).ToList();
        double loss = nll / Math.Max(1, tokens);
        return (loss, Math.Exp(loss), Bleu.Corpus(hypotheses, data.ValidReferences).Score, ChrF.Corpus(hypotheses, data.ValidReferences).Score,
            _sample >= 0 ? translations[_sample] : null);
    }
}
