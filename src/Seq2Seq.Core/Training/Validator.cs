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
public sealed class Validator(TrainingData data, TrainingOptions options, Device device)
{
    /// <summary>Runs one validation; leaves the model in evaluation mode.</summary>
    public (double Loss, double Perplexity, double Bleu, double ChrF) Run(Seq2SeqModel model)
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
        var hypotheses = translator.Translate(data.ValidSources, search, batchSize: 64).Select(t => t.Best).ToList();
        double loss = nll / Math.Max(1, tokens);
        return (loss, Math.Exp(loss), Bleu.Corpus(hypotheses, data.ValidReferences).Score, ChrF.Corpus(hypotheses, data.ValidReferences).Score);
    }
}
