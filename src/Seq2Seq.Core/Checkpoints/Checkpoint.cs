using System.Text.Json;
using Seq2Seq.IO;
using Seq2Seq.Model;
using Seq2Seq.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace Seq2Seq.Checkpoints;

/// <summary>
/// A verified, self-contained checkpoint folder: model shape, weights and both tokenizers. Everything
/// inference needs; the training state beside it is read by <see cref="Training.TrainingCheckpoint"/>.
/// </summary>
internal sealed class Checkpoint
{
    public const string ModelConfigFile = "model.json";
    public const string WeightsFile = "model.safetensors";
    public const string SourcePrefix = BpePreparation.SourcePrefix;
    public const string TargetPrefix = BpePreparation.TargetPrefix;

    private Checkpoint(string directory, CheckpointManifest manifest, ModelConfig config, SubwordTokenizer source, SubwordTokenizer target)
    {
        Directory = directory;
        Manifest = manifest;
        Config = config;
        SourceTokenizer = source;
        TargetTokenizer = target;
    }

    public string Directory { get; }
    public CheckpointManifest Manifest { get; }
    public ModelConfig Config { get; }
    public SubwordTokenizer SourceTokenizer { get; }
    public SubwordTokenizer TargetTokenizer { get; }

    /// <summary>
    /// Opens a checkpoint folder, or the best (else last) checkpoint of a training run folder, checking
    /// file hashes, the model configuration and that the vocabularies match the model.
    /// </summary>
    public static Checkpoint Open(string path)
    {
        string directory = RunDirectory.ResolveCheckpoint(path);
        var manifest = CheckpointManifest.Verify(directory);
        var config = ReadConfig(Path.Combine(directory, ModelConfigFile));
        var source = SubwordTokenizer.Load(directory, SourcePrefix);
        var target = SubwordTokenizer.Load(directory, TargetPrefix);
        if (source.VocabularySize != config.SourceVocabularySize)
            throw InputException.In(Path.Combine(directory, SourcePrefix + BpeModel.VocabularyFileName),
                $"has {source.VocabularySize} entries but the model was built for {config.SourceVocabularySize}");
        if (target.VocabularySize != config.TargetVocabularySize)
            throw InputException.In(Path.Combine(directory, TargetPrefix + BpeModel.VocabularyFileName),
                $"has {target.VocabularySize} entries but the model was built for {config.TargetVocabularySize}");
        return new Checkpoint(directory, manifest, config, source, target);
    }

    /// <summary>Builds the model and loads the weights onto <paramref name="device"/>.</summary>
    public Seq2SeqModel LoadModel(Device device)
    {
        var model = new Seq2SeqModel(Config);
        SafeTensors.LoadInto(Path.Combine(Directory, WeightsFile), model.state_dict());
        model.to(device);
        model.eval();
        return model;
    }

    /// <summary>Writes the inference part of a checkpoint (config, weights, tokenizers) into <paramref name="directory"/>.</summary>
    public static void WriteModel(string directory, Seq2SeqModel model, string tokenizerDirectory)
    {
        AtomicFile.WriteAllText(Path.Combine(directory, ModelConfigFile), JsonSerializer.Serialize(model.Config, JsonDefaults.Indented));
        SafeTensors.Save(model.state_dict(), Path.Combine(directory, WeightsFile));
        BpePreparation.Copy(tokenizerDirectory, directory);
    }

    private static ModelConfig ReadConfig(string path)
    {
        try
        {
            var config = JsonSerializer.Deserialize<ModelConfig>(File.ReadAllText(path))
                ?? throw InputException.In(path, "is empty");
            config.Validate();
            return config;
        }
        catch (JsonException e) { throw InputException.In(path, $"is not a valid model configuration: {e.Message}"); }
        catch (ArgumentException e) { throw InputException.In(path, $"describes an invalid model: {e.Message}"); }
        catch (IOException e) { throw InputException.In(path, e.Message); }
    }
}
