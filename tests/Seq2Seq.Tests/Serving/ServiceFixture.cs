using System.Text.Json;
using Seq2Seq.Tests.Cli;
using Seq2Seq.Tests.Support;

namespace Seq2Seq.Tests.Serving;

/// <summary>
/// A small model trained through <c>seq2seq train</c>, the answers of <c>translate --format jsonl</c> and
/// <c>score</c> on its test sentences (what the service must reproduce), and one running service on it.
/// </summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    /// <summary>The options of the second translate run, as command-line options and as request fields.</summary>
    public const string RichOptions = "\"beam\": 4, \"n_best\": 3, \"length_penalty\": 0.6, \"alignments\": true, \"attention\": true, \"coverage\": true";

    public TrainedModelFixture Trained { get; } = new();

    public string Model => Trained.Model;

    /// <summary>Test sentences (and an empty one), the inputs of <see cref="Plain"/> and <see cref="Rich"/>.</summary>
    public List<string> Sentences { get; private set; } = [];

    /// <summary>Lines of <c>translate --format jsonl --beam 5</c>.</summary>
    public List<string> Plain { get; private set; } = [];

    /// <summary>Lines of <c>translate --format jsonl</c> with <see cref="RichOptions"/>.</summary>
    public List<string> Rich { get; private set; } = [];

    /// <summary>Lines of <c>score</c> on the first test pairs.</summary>
    public List<string> Scores { get; private set; } = [];

    public TestService Service { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Assert.True(Trained.Train.ExitCode == 0, Trained.Train.ToString());
        // Quotes, a backslash, non-ASCII and an empty line: the service must escape exactly as translate writes.
        Sentences = [.. Trained.Test.Take(12).Select(p => p.En), "the \"old\" dog \\ sees Zoë", ""];
        string input = Trained.Directory.WriteLines("serve-in.txt", Sentences);
        Plain = RunJsonl("translate", "--model", Model, "--input", input, "--format", "jsonl", "--beam", "5");
        Rich = RunJsonl("translate", "--model", Model, "--input", input, "--format", "jsonl", "--beam", "4", "--n-best", "3",
            "--length-penalty", "0.6", "--alignments", "--attention", "--coverage");
        string source = Trained.Directory.WriteLines("serve-src.txt", Trained.Test.Take(6).Select(p => p.En));
        string target = Trained.Directory.WriteLines("serve-tgt.txt", Trained.Test.Take(6).Select(p => p.De));
        Scores = RunJsonl("score", "--model", Model, "--source", source, "--target", target);
        Service = await TestService.StartAsync(Model);
    }

    public async Task DisposeAsync()
    {
        await Service.DisposeAsync();
        Trained.Dispose();
    }

    /// <summary>A JSON array of <paramref name="texts"/>.</summary>
    public static string Texts(IEnumerable<string> texts) => JsonSerializer.Serialize(texts);

    private List<string> RunJsonl(params string[] args)
    {
        string output = Trained.Directory.File($"serve-out-{Guid.NewGuid():N}.jsonl");
        // One thread here and in the service: other thread counts may round sums differently and flip near ties.
        var result = CliProcess.Run([.. args, "--output", output, "--threads", "1"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return [.. File.ReadAllLines(output)];
    }
}

[CollectionDefinition(Name)]
public sealed class ServiceCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "service";
}
