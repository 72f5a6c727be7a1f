using System.Text.Json;
using Seq2Seq.Checkpoints;
using Seq2Seq.IO;
using Seq2Seq.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Seq2Seq.Training;

/// <summary>
/// The training half of a checkpoint: optimizer moments, the random-number generator state and
/// <see cref="TrainingState"/>. With these, a resumed CPU run continues bit for bit like an uninterrupted one.
/// </summary>
internal static class TrainingCheckpoint
{
    public const string OptimizerFile = "optimizer.bin";
    public const string StateFile = "trainer_state.json";
    public const string RandomStateFile = "rng.bin";

    /// <summary>Writes a complete checkpoint (model + training state) into <paramref name="run"/> and returns its folder.</summary>
    public static string Save(RunDirectory run, Seq2SeqModel model, Adam optimizer, TrainingState state) =>
        run.CreateCheckpoint(state.Step, directory =>
        {
            Checkpoint.WriteModel(directory, model, run.TokenizerDirectory);
            AtomicFile.Write(Path.Combine(directory, OptimizerFile), stream =>
            {
                using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
                optimizer.save_state_dict(writer);
            });
            using (var rng = torch.random.get_rng_state())
                AtomicFile.WriteAllBytes(Path.Combine(directory, RandomStateFile), rng.data<byte>().ToArray());
            AtomicFile.WriteAllText(Path.Combine(directory, StateFile), JsonSerializer.Serialize(state, JsonDefaults.Indented));
        });

    /// <summary>Restores weights, optimizer and RNG from a verified checkpoint folder; returns the training state.</summary>
    public static TrainingState Restore(Checkpoint checkpoint, Seq2SeqModel model, Adam optimizer)
    {
        string directory = checkpoint.Directory;
        SafeTensors.LoadInto(Path.Combine(directory, Checkpoint.WeightsFile), model.state_dict());
        string optimizerPath = Path.Combine(directory, OptimizerFile);
        string statePath = Path.Combine(directory, StateFile);
        if (!File.Exists(optimizerPath) || !File.Exists(statePath))
            throw InputException.In(directory, "holds a model only, without training state; it cannot be resumed");
        try
        {
            using var reader = new BinaryReader(File.OpenRead(optimizerPath));
            optimizer.load_state_dict(reader);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or ArgumentException or IOException)
        {
            throw InputException.In(optimizerPath, $"cannot be restored: {e.Message}");
        }
        byte[] rng = File.ReadAllBytes(Path.Combine(directory, RandomStateFile));
        using (var rngState = torch.tensor(rng, dtype: ScalarType.Byte))
            torch.random.set_rng_state(rngState);
        try
        {
            return JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(statePath))
                ?? throw InputException.In(statePath, "is empty");
        }
        catch (JsonException e) { throw InputException.In(statePath, $"is corrupt: {e.Message}"); }
    }
}
