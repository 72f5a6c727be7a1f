using Seq2Seq.Demo;
using Seq2Seq.Tests.Support;

namespace Seq2Seq.Tests.Cli;

/// <summary>
/// A small model trained once through the real <c>seq2seq train</c> command on a reduced demo corpus,
/// shared by the command-line tests.
/// </summary>
public sealed class TrainedModelFixture : IDisposable
{
    public TrainedModelFixture()
    {
        var splits = DemoCorpus.Generate(new DemoCorpusOptions { TrainPairs = 1500, DevPairs = 40, TestPairs = 40 });
        DemoCorpus.Write(splits, Directory.Path);
        Train = CliProcess.RunIn(Directory.Path, null, "train", "--out", "run", "--device", "cpu", "--threads", "1",
            "--Data:Train=train", "--Data:Valid=dev", "--Data:SourceLanguage=en", "--Data:TargetLanguage=de",
            "--Tokenizer:VocabSize=300", "--Model:EmbeddingSize=32", "--Model:EncoderHiddenSize=32",
            "--Model:DecoderHiddenSize=64", "--Model:AttentionSize=32", "--Model:Dropout=0",
            "--Training:MaxEpochs=2", "--Training:BatchTokens=800", "--Training:LearningRate=0.003");
        Test = splits.Test;
    }

    public TempDirectory Directory { get; } = new();

    public CliResult Train { get; }

    public IReadOnlyList<(string En, string De)> Test { get; }

    public string Model => Directory.File("run");

    public void Dispose() => Directory.Dispose();
}

[CollectionDefinition(Name)]
public sealed class TrainedModelCollection : ICollectionFixture<TrainedModelFixture>
{
    public const string Name = "trained model";
}
