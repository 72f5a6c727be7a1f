using Seq2Seq.Model;

namespace Seq2Seq;

/// <summary>What a <see cref="TranslationModel"/> is: its first checkpoint, shape and where it runs.</summary>
/// <param name="Checkpoints">The checkpoint folder of each ensemble member, in order.</param>
/// <param name="Step">Training step of the first checkpoint.</param>
/// <param name="CreatedUtc">When the first checkpoint was written.</param>
/// <param name="Config">The first member's model configuration.</param>
/// <param name="Parameters">Parameters of all members together.</param>
/// <param name="Threads">libtorch's CPU threads, read back from libtorch on the thread that opened the model.</param>
public sealed record TranslationModelInfo(
    IReadOnlyList<string> Checkpoints, long Step, DateTime CreatedUtc, ModelConfig Config,
    int SourceVocabularySize, int TargetVocabularySize, long Parameters, string Device, string Precision, int MaxSourceTokens, int Threads);
