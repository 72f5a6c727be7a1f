using Seq2Seq.Checkpoints;
using Seq2Seq.IO;
using Seq2Seq.Tests.Support;

namespace Seq2Seq.Tests.Checkpoints;

public class RunDirectoryTests
{
    [Fact]
    public void Checkpoints_appear_only_when_complete_and_pointers_name_them()
    {
        using var dir = new TempDirectory();
        var run = new RunDirectory(dir.Path);
        string first = run.CreateCheckpoint(10, d => File.WriteAllText(Path.Combine(d, "x.txt"), "one"));
        Assert.Equal("step-00000010", Path.GetFileName(first));
        run.SetPointer(RunDirectory.LastPointer, first);
        Assert.Equal(first, run.Pointer(RunDirectory.LastPointer));
        Assert.Equal(first, RunDirectory.ResolveCheckpoint(dir.Path));

        Assert.Throws<InvalidOperationException>(() => run.CreateCheckpoint(20, _ => throw new InvalidOperationException("disk full")));
        Assert.Single(Directory.GetDirectories(run.CheckpointsDirectory));
    }

    [Fact]
    public void Best_is_preferred_and_pruning_keeps_pointed_checkpoints()
    {
        using var dir = new TempDirectory();
        var run = new RunDirectory(dir.Path);
        var made = Enumerable.Range(1, 5).Select(i => run.CreateCheckpoint(i, d => File.WriteAllText(Path.Combine(d, "x"), $"{i}"))).ToList();
        run.SetPointer(RunDirectory.BestPointer, made[0]);
        run.SetPointer(RunDirectory.LastPointer, made[4]);
        run.Prune(keep: 2);
        Assert.Equal(new[] { made[0], made[3], made[4] }, Directory.GetDirectories(run.CheckpointsDirectory).Order());
        Assert.Equal(made[0], RunDirectory.ResolveCheckpoint(dir.Path));
    }

    [Fact]
    public void A_folder_that_is_not_a_checkpoint_is_named_in_the_error()
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<InputException>(() => RunDirectory.ResolveCheckpoint(dir.Path));
        Assert.Contains("is not a checkpoint or a training run", error.Message);
        Assert.Throws<InputException>(() => RunDirectory.ResolveCheckpoint(dir.File("missing")));
    }

    [Fact]
    public void Manifest_detects_changed_and_missing_files()
    {
        using var dir = new TempDirectory();
        var run = new RunDirectory(dir.Path);
        string checkpoint = run.CreateCheckpoint(1, d => File.WriteAllText(Path.Combine(d, "weights"), "0123456789"));
        Assert.Equal(1, CheckpointManifest.Verify(checkpoint).Step);
        File.WriteAllText(Path.Combine(checkpoint, "weights"), "01234");
        Assert.Contains("corrupt or truncated", Assert.Throws<InputException>(() => CheckpointManifest.Verify(checkpoint)).Message);
        File.Delete(Path.Combine(checkpoint, "weights"));
        Assert.Contains("missing", Assert.Throws<InputException>(() => CheckpointManifest.Verify(checkpoint)).Message);
    }
}
