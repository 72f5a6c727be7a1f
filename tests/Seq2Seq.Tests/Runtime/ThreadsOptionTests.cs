using System.CommandLine;
using Seq2Seq.Cli;
using Seq2Seq.Cli.Commands;
using Seq2Seq.Runtime;
using Seq2Seq.Tests.Cli;
using Seq2Seq.Tests.Support;
using static TorchSharp.torch;

namespace Seq2Seq.Tests.Runtime;

/// <summary>libtorch's thread count is process-wide: these tests run alone and restore it.</summary>
[Collection(GlobalRandomCollection.Name)]
public class ThreadsOptionTests
{
    [Fact]
    public void Start_sets_libtorchs_thread_count_and_defaults_to_the_available_cores()
    {
        int before = get_num_threads();
        try
        {
            Assert.Equal(1, ThreadGovernor.Start(1).Threads);
            Assert.Equal(1, get_num_threads());
            Assert.Equal(ThreadGovernor.AvailableCores, ThreadGovernor.Start(null).Threads);
            Assert.Equal(ThreadGovernor.AvailableCores, get_num_threads());
            Assert.Equal(ThreadGovernor.AvailableCores, ThreadGovernor.Start(0).Threads);
            Assert.Throws<ArgumentOutOfRangeException>(() => ThreadGovernor.Start(-2));
        }
        finally { set_num_threads(before); }
    }

    [Fact]
    public void The_threads_setting_of_training_reaches_libtorch_on_the_training_thread()
    {
        int before = get_num_threads();
        using var dir = new TempDirectory();
        var setup = TinyRuns.ReverseTask(dir, trainPairs: 200, maxEpochs: 1);
        setup.Training.Threads = 1;
        try
        {
            set_num_threads(2);
            TinyRuns.Train(setup);
            Assert.Equal(1, get_num_threads());
        }
        finally { set_num_threads(before); }
    }

    [Fact]
    public async Task The_threads_option_of_translate_reaches_libtorch()
    {
        int before = get_num_threads();
        using var dir = new TempDirectory();
        var run = TinyRuns.ReverseTask(dir, trainPairs: 200, maxEpochs: 1);
        TinyRuns.Train(run);
        string input = dir.WriteLines("in.txt", ["a b c"]);
        try
        {
            set_num_threads(2);
            var root = new RootCommand { TranslateCommand.Create() };
            int exit = await CommandRunner.InvokeAsync(root,
                ["translate", "--model", run.Run.Root, "--input", input, "--output", dir.File("out.txt"), "--threads", "1"], TextWriter.Null, TextWriter.Null);
            Assert.Equal(0, exit);
            Assert.Equal(1, get_num_threads());
        }
        finally { set_num_threads(before); }
    }

    [Fact]
    public async Task A_thread_count_below_one_is_a_usage_error()
    {
        var error = new StringWriter();
        var root = new RootCommand { TranslateCommand.Create() };
        int exit = await CommandRunner.InvokeAsync(root, ["translate", "--model", "x", "--threads", "0"], TextWriter.Null, error);
        Assert.Equal(CommandRunner.UsageError, exit);
        Assert.Contains("--threads must be at least 1", error.ToString());
    }
}
