using Seq2Seq.Data;
using Seq2Seq.Model;
using Seq2Seq.Tests.Support;
using Seq2Seq.Training;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Model;

/// <summary>A tied output matrix is one tensor: counted, clipped and updated once.</summary>
public class TiedEmbeddingTests
{
    private const string Embedding = "decoder.embedding.weight", Output = "decoder.output.weight";

    private static ModelConfig Config(bool tied)
    {
        var config = TinyModels.Config();
        config.TieOutputEmbedding = tied;
        return config;
    }

    private static Batch NewBatch() => Batch.Create([[5, 6, 7, 8], [9, 10, 11]], [[12, 13, 14], [15, 16]], CPU);

    private static Dictionary<string, TorchSharp.Modules.Parameter> Named(Seq2SeqModel model) =>
        model.named_parameters().ToDictionary(p => p.name, p => p.parameter);

    [Fact]
    public void The_tied_matrix_is_counted_once()
    {
        var untied = TinyModels.Create(1, Config(tied: false));
        var tied = TinyModels.Create(1, Config(tied: true));
        var config = untied.Config;
        Assert.Equal(untied.ParameterCount() - config.TargetVocabularySize * config.EmbeddingSize, tied.ParameterCount());
        Assert.Equal(untied.ParameterCount(), untied.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Clipping_sees_the_sum_of_both_uses_of_the_tied_matrix_once()
    {
        var tied = TinyModels.Create(3, Config(tied: true));
        using var optimizer = TrainingStep.CreateOptimizer(tied, 0, 0);
        using var batch = NewBatch();
        double norm = new TrainingStep(tied, optimizer, labelSmoothing: 0, clipNorm: 1e9, seed: 1).Run(batch, learningRate: 0, step: 1).GradientNorm;

        // The reference: the same weights untied, where each use of the matrix gets a gradient of its own.
        var untied = TinyModels.Create(3, Config(tied: false));
        var weights = Named(tied);
        using (no_grad())
            foreach (var (name, parameter) in Named(untied))
                parameter.copy_(weights[name == Output ? Embedding : name]);
        untied.train();
        var (logits, _) = untied.forward(batch.Source, batch.SourceLengths, batch.TargetInput!);
        var (_, nll) = SequenceLoss.Compute(logits, batch.TargetOutput!, 0);
        (nll / batch.TargetTokens).backward();
        var grads = Named(untied);
        double squares = grads.Where(p => p.Key is not (Embedding or Output)).Sum(p => p.Value.grad!.square().sum().item<float>());
        squares += (grads[Embedding].grad! + grads[Output].grad!).square().sum().item<float>();
        Assert.Equal(Math.Sqrt(squares), norm, 1e-4 * Math.Sqrt(squares));
    }

    [Fact]
    public void One_update_moves_the_tied_matrix_by_the_learning_rate_not_twice_it()
    {
        const double rate = 0.01;
        var model = TinyModels.Create(4, Config(tied: true));
        using var optimizer = TrainingStep.CreateOptimizer(model, rate, 0);
        using var before = Named(model)[Embedding].detach().clone();
        using var batch = NewBatch();
        new TrainingStep(model, optimizer, labelSmoothing: 0, clipNorm: 0, seed: 1).Run(batch, rate, step: 1);

        // Adam's first step moves each element by rate · g / (|g| + eps): at most the rate, and close to it
        // wherever the gradient is not tiny. Stepped twice, the tied matrix would move up to twice the rate.
        using var moved = (Named(model)[Embedding].detach() - before).abs();
        Assert.InRange(moved.max().item<float>(), 0.99 * rate, 1.0001 * rate);
    }
}
