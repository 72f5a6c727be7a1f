using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Seq2Seq.Checkpoints;
using Seq2Seq.Tests.Support;
using Seq2Seq.Training;
using Tensorboard;

namespace Seq2Seq.Tests.Training;

public class TensorBoardTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static IEnumerable<(long Step, float Value)> Scalars(IEnumerable<Event> events, string tag) =>
        events.Where(e => e.Summary is not null).SelectMany(e => e.Summary.Value.Where(v => v.Tag == tag && v.Image is null).Select(v => (e.Step, v.SimpleValue)));

    private static List<(long Step, Summary.Types.Value Value)> Images(IEnumerable<Event> events) =>
        [.. events.Where(e => e.Summary is not null).SelectMany(e => e.Summary.Value.Where(v => v.Image is not null).Select(v => (e.Step, v)))];

    private static List<ValidationResult> History(RunDirectory run) =>
        JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(Path.Combine(run.Pointer(RunDirectory.LastPointer)!, TrainingCheckpoint.StateFile)))!.History;

    [Fact]
    public void The_test_reader_computes_the_standard_CRC32C_check_value() =>
        Assert.Equal(0xE3069283u, EventFileReader.Crc32C(Encoding.ASCII.GetBytes("123456789")));

    [Fact]
    public void A_run_logs_training_and_validation_scalars_and_one_attention_heatmap_per_validation()
    {
        using var dir = new TempDirectory();
        var setup = TinyRuns.ReverseTask(dir, trainPairs: 300, maxEpochs: 2);
        double started = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1;
        var outcome = TinyRuns.Train(setup);

        string file = Assert.Single(Directory.GetFiles(setup.Run.TensorBoardDirectory));
        Assert.StartsWith("events.out.tfevents.", Path.GetFileName(file));
        var events = EventFileReader.Read(file);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        // Wall times are Unix seconds (TensorBoard's relative-time axis), not ticks or milliseconds.
        Assert.All(events, e => Assert.InRange(e.WallTime, started, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1));

        var history = History(setup.Run);
        long[] validated = [.. history.Select(h => h.Step)];
        Assert.Equal(2, validated.Length);
        Assert.Equal(outcome.Steps, validated[^1]);
        // ReportSeconds is far longer than the run, so progress is reported at the epoch ends only, where it validates.
        Assert.Equal(validated.Select(s => (s, 0.005f)), Scalars(events, "train/learning_rate"));
        Assert.Equal(validated, Scalars(events, "train/loss").Select(p => p.Step));
        Assert.All(Scalars(events, "train/loss"), p => Assert.InRange(p.Value, 1e-4f, 10f));
        Assert.Equal(validated, Scalars(events, "train/tokens_per_second").Select(p => p.Step));
        Assert.All(Scalars(events, "train/tokens_per_second"), p => Assert.True(p.Value > 0));

        Assert.Equal(history.Select(h => (h.Step, (float)h.Loss)), Scalars(events, "valid/loss"));
        Assert.Equal(history.Select(h => (h.Step, (float)h.Perplexity)), Scalars(events, "valid/perplexity"));
        Assert.Equal(history.Select(h => (h.Step, (float)h.Bleu)), Scalars(events, "valid/bleu"));
        Assert.Equal(history.Select(h => (h.Step, (float)h.ChrF)), Scalars(events, "valid/chrf"));

        var images = Images(events);
        Assert.Equal(validated, images.Select(i => i.Step));
        Assert.All(images, i =>
        {
            Assert.Equal("valid/attention", i.Value.Tag);
            byte[] png = i.Value.Image.EncodedImageString.ToByteArray();
            Assert.Equal(PngSignature, png[..8]);
            // The proto's size is the picture's (the PNG's IHDR chunk: width and height, big-endian, from byte 16).
            Assert.Equal((i.Value.Image.Width, i.Value.Image.Height),
                (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20))));
        });
        Assert.True(File.Exists(Path.Combine(setup.Run.Root, ValidationPlot.FileName)));
    }

    [Fact]
    public void A_resumed_run_writes_a_new_event_file_whose_steps_continue_after_the_checkpoint()
    {
        using var dir = new TempDirectory();
        var setup = TinyRuns.ReverseTask(dir, trainPairs: 300, maxEpochs: 1);
        var first = TinyRuns.Train(setup);
        setup.Training.MaxEpochs = 2;
        var second = TinyRuns.Train(setup, resume: true);
        Assert.True(second.Steps > first.Steps);

        var files = Directory.GetFiles(setup.Run.TensorBoardDirectory).Select(EventFileReader.Read).ToList();
        Assert.Equal(2, files.Count);
        var resumed = Assert.Single(files, f => f.Any(e => e.SessionLog is not null));
        var original = files.Single(f => f != resumed);

        Assert.Equal(new[] { first.Steps }, Scalars(original, "valid/bleu").Select(p => p.Step));
        // The restart mark comes before any data: TensorBoard drops older points from that step on.
        var start = resumed.First(e => e.SessionLog is not null || e.Summary is not null);
        Assert.Equal(SessionLog.Types.SessionStatus.Start, start.SessionLog?.Status);
        Assert.Equal(first.Steps + 1, start.Step);
        Assert.Equal(new[] { second.Steps }, Scalars(resumed, "train/loss").Select(p => p.Step));
        Assert.Equal(new[] { second.Steps }, Scalars(resumed, "valid/bleu").Select(p => p.Step));
        Assert.Equal(new[] { second.Steps }, Images(resumed).Select(i => i.Step));
    }

    [Fact]
    public void A_tensorboard_folder_that_cannot_be_written_costs_a_warning_not_the_run()
    {
        using var dir = new TempDirectory();
        var setup = TinyRuns.ReverseTask(dir, trainPairs: 300, maxEpochs: 1);
        Directory.CreateDirectory(setup.Run.Root);
        File.WriteAllText(setup.Run.TensorBoardDirectory, "a file where the folder should be");
        var logger = new RecordingLogger();

        var outcome = new Trainer(setup, logger).Run(resume: false, CancellationToken.None);

        Assert.Equal(TrainingEnd.Completed, outcome.End);
        Assert.NotNull(setup.Run.Pointer(RunDirectory.BestPointer));
        Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("TensorBoard"));
    }
}
