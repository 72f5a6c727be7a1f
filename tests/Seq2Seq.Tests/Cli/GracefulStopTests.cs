using System.Diagnostics;
using Seq2Seq.Checkpoints;
using Seq2Seq.Tests.Support;

namespace Seq2Seq.Tests.Cli;

public class GracefulStopTests
{
    [Fact]
    public void Sigterm_during_a_slow_step_saves_a_checkpoint_and_exits_zero()
    {
        using var dir = new TempDirectory();
        var pairs = TinyRuns.ReversePairs(400, seed: 5, minWords: 20, maxWords: 30);
        dir.WriteLines("data/train.src", pairs.Select(p => p.Source));
        dir.WriteLines("data/train.tgt", pairs.Select(p => p.Target));
        // Large enough that finishing a step and saving takes well over the two seconds of grace that the
        // command-line library gives by default before letting the process die under the training thread.
        using var process = CliProcess.Start(dir.Path, "train", "--out", "run", "--device", "cpu",
            $"--Data:Train={dir.File("data/train")}", $"--Data:Valid={dir.File("data/train")}",
            "--Data:SourceLanguage=src", "--Data:TargetLanguage=tgt", "--Tokenizer:VocabSize=40",
            "--Model:EmbeddingSize=256", "--Model:EncoderHiddenSize=256", "--Model:DecoderHiddenSize=512", "--Model:AttentionSize=256",
            "--Training:BatchTokens=10000", "--Training:ReportSeconds=0.1");
        var error = new System.Text.StringBuilder();
        var firstStep = new ManualResetEventSlim();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (error) error.AppendLine(e.Data);
            if (e.Data.Contains("step 1:")) firstStep.Set();
        };
        process.BeginErrorReadLine();
        _ = process.StandardOutput.ReadToEndAsync();
        Assert.True(firstStep.Wait(TimeSpan.FromMinutes(3)), $"no training step was reported:\n{error}");

        Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), "training did not stop");
        process.WaitForExit();

        string log;
        lock (error) log = error.ToString();
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{log}");
        Assert.Contains("Stopping on request", log);
        string last = new RunDirectory(dir.File("run")).Pointer(RunDirectory.LastPointer) ?? throw new Xunit.Sdk.XunitException($"no checkpoint:\n{log}");
        using var model = Checkpoint.Open(last).LoadModel(TorchSharp.torch.CPU);
    }
}
