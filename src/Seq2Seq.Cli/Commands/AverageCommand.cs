using System.CommandLine;
using Seq2Seq.Checkpoints;
using Seq2Seq.IO;

namespace Seq2Seq.Cli.Commands;

/// <summary>
/// <c>seq2seq average --run DIR --last N --out DIR</c> (or <c>--checkpoints A B ...</c>): average the weights of
/// several checkpoints of one run into a new checkpoint that the other verbs accept.
/// </summary>
public static class AverageCommand
{
    public static Command Create()
    {
        var run = new Option<DirectoryInfo?>("--run") { Description = "Training run folder whose most recent checkpoints to average (with --last)" };
        var last = new Option<int>("--last") { Description = "How many of the run's most recent checkpoints to average", DefaultValueFactory = _ => 5 };
        var checkpoints = new Option<DirectoryInfo[]>("--checkpoints") { Description = "Checkpoint folders to average (instead of --run)", AllowMultipleArgumentsPerToken = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "New folder for the averaged checkpoint", Required = true };
        var command = new Command("average", "Average the weights of several checkpoints (e.g. the last 5) into one") { run, last, checkpoints, output };
        command.SetAction(parse =>
        {
            var folders = Select(parse.GetValue(run), parse.GetValue(last), parse.GetValue(checkpoints));
            string written = CheckpointAveraging.Average(folders, parse.GetValue(output)!.FullName);
            Console.Error.WriteLine($"averaged {folders.Count} checkpoints ({string.Join(", ", folders.Select(Path.GetFileName))}) into {written}");
            return 0;
        });
        return command;
    }

    private static IReadOnlyList<string> Select(DirectoryInfo? run, int last, DirectoryInfo[]? checkpoints)
    {
        if (checkpoints is { Length: > 0 })
        {
            if (run is not null) throw new InputException("give either --run (with --last) or --checkpoints, not both");
            return checkpoints.Select(c => c.FullName).ToList();
        }
        if (run is null) throw new InputException("give --run DIR (with --last N) or --checkpoints DIR...");
        if (last < 1) throw new InputException($"--last {last}: must be at least 1");
        if (!run.Exists) throw InputException.In(run.FullName, "run folder not found");
        var recent = new RunDirectory(run.FullName).RecentCheckpoints(last);
        if (recent.Count == 0) throw InputException.In(run.FullName, "has no checkpoints");
        if (recent.Count < last)
            Console.Error.WriteLine($"warning: {run.FullName} keeps only {recent.Count} checkpoints; averaging those (raise Training:KeepCheckpoints to keep more)");
        return recent;
    }
}
