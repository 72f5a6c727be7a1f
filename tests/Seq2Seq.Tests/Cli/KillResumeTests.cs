using Seq2Seq.Checkpoints;
using Seq2Seq.Tests.Support;

namespace Seq2Seq.Tests.Cli;

/// <summary>
/// Pre-emption drill: <c>seq2seq train</c> is killed with SIGKILL at 20 random moments and resumed each time.
/// The run must always have a complete checkpoint to resume from, and must end with exactly the weights of a
/// run that was never interrupted — which it cannot if any step's data were skipped or repeated.
/// </summary>
public class KillResumeTests
{
    private static string[] TrainArguments(string dataDirectory) =>
    [
        "train", "--out", "run", "--device", "cpu", "--seed", "3",
        $"--Data:Train={Path.Combine(dataDirectory, "train")}", $"--Data:Valid={Path.Combine(dataDirectory, "valid")}",
        "--Data:SourceLanguage=src", "--Data:TargetLanguage=tgt", "--Tokenizer:VocabSize=40",
        "--Model:EmbeddingSize=24", "--Model:EncoderHiddenSize=24", "--Model:DecoderHiddenSize=48", "--Model:AttentionSize=24",
        "--Model:Dropout=0.2", "--Training:MaxEpochs=15", "--Training:BatchTokens=300", "--Training:LearningRate=0.005",
        "--Training:CheckpointEvery=3", "--Training:KeepCheckpoints=2", "--Training:ReportSeconds=1000",
    ];

    [Fact]
    public void Training_killed_twenty_times_and_resumed_ends_bit_identical_to_an_uninterrupted_run()
    {
        using var dir = new TempDirectory();
        var pairs = TinyRuns.ReversePairs(600, seed: 41);
        dir.WriteLines("data/train.src", pairs.Select(p => p.Source));
        dir.WriteLines("data/train.tgt", pairs.Select(p => p.Target));
        dir.WriteLines("data/valid.src", pairs.Take(40).Select(p => p.Source));
        dir.WriteLines("data/valid.tgt", pairs.Take(40).Select(p => p.Target));
        string[] arguments = TrainArguments(dir.File("data"));

        Directory.CreateDirectory(dir.File("straight"));
        var straight = CliProcess.RunIn(dir.File("straight"), null, arguments);
        Assert.True(straight.ExitCode == 0, straight.ToString());

        string killed = dir.File("killed");
        Directory.CreateDirectory(killed);
        var run = new RunDirectory(Path.Combine(killed, "run"));
        var random = new Random(2024);
        int kills = 0;
        for (int kill = 0; kill < 20; kill++)
        {
            using var process = CliProcess.Start(killed, kill == 0 ? arguments : [.. arguments, "--resume"]);
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (kill == 0)
            {
                // The first kill waits for a first checkpoint: before it there is nothing to resume.
                var waited = System.Diagnostics.Stopwatch.StartNew();
                while (run.Pointer(RunDirectory.LastPointer) is null && !process.HasExited && waited.Elapsed < TimeSpan.FromMinutes(2)) Thread.Sleep(20);
            }
            Thread.Sleep(random.Next(100, 1600)); // the process takes about a second to start, load and resume
            if (process.HasExited) break;
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            kills++;

            string last = run.Pointer(RunDirectory.LastPointer) ?? throw new Xunit.Sdk.XunitException($"no last checkpoint after kill {kill + 1}");
            using var model = Checkpoint.Open(last).LoadModel(TorchSharp.torch.CPU); // complete, verified against its manifest
        }
        Assert.Equal(20, kills);
        var finish = CliProcess.RunIn(killed, null, [.. arguments, "--resume"]);
        Assert.True(finish.ExitCode == 0, finish.ToString());

        byte[] Weights(string root) => File.ReadAllBytes(Path.Combine(new RunDirectory(root).Pointer(RunDirectory.LastPointer)!, Checkpoint.WeightsFile));
        Assert.Equal(Weights(dir.File("straight/run")), Weights(Path.Combine(killed, "run")));
    }
}
