using System.ComponentModel.DataAnnotations;

namespace Seq2Seq.Training;

/// <summary>Configuration section <c>Training</c>: optimisation, validation and checkpointing.</summary>
public sealed class TrainingOptions
{
    public const string Section = "Training";

    /// <summary>Seed for parameter initialisation, dropout and data order.</summary>
    public int Seed { get; set; } = 1;

    /// <summary><c>auto</c> (CUDA when available), <c>cpu</c> or <c>cuda</c> (or <c>cuda:N</c>).</summary>
    [RegularExpression("^(auto|cpu|cuda(:[0-9]+)?)$", ErrorMessage = "Device must be auto, cpu, cuda or cuda:N")]
    public string Device { get; set; } = "auto";

    /// <summary>CPU threads for tensor math (0 = every core available to the process, one while another process takes a core); see <see cref="Runtime.ThreadGovernor"/>.</summary>
    [Range(0, 4096)] public int Threads { get; set; }

    [Range(1, 100_000)] public int MaxEpochs { get; set; } = 30;

    /// <summary>Stop after this many updates (0 = no limit).</summary>
    [Range(0, long.MaxValue)] public long MaxSteps { get; set; }

    /// <summary>Stop (after a final validation) once training has taken this many seconds in total, resumed runs included (0 = no limit).</summary>
    [Range(0, double.MaxValue)] public double MaxSeconds { get; set; }

    /// <summary>Padded tokens per batch (sentences × longest sentence).</summary>
    [Range(1, 10_000_000)] public int BatchTokens { get; set; } = 4096;

    [Range(1, 100_000)] public int MaxBatchSentences { get; set; } = 256;

    /// <summary>Adam's peak learning rate.</summary>
    [Range(1e-8, 10.0)] public double LearningRate { get; set; } = 1e-3;

    /// <summary>Updates over which the learning rate rises linearly from 0 to its peak.</summary>
    [Range(0, 10_000_000)] public int WarmupSteps { get; set; }

    /// <summary>
    /// <c>plateau</c>: after warm-up, decay by <see cref="DecayFactor"/> when validation stops improving. <c>cosine</c>:
    /// after warm-up, follow a half cosine from the peak down to <see cref="MinLearningRate"/> at the end of the budget
    /// (whichever of MaxEpochs, MaxSteps and MaxSeconds comes first), so the run spends its budget decaying; with
    /// MaxSeconds the rate then depends on the machine's speed.
    /// </summary>
    [RegularExpression("^(plateau|cosine)$", ErrorMessage = "Schedule must be plateau or cosine")]
    public string Schedule { get; set; } = "plateau";

    /// <summary>Multiply the learning rate by this when validation stops improving (1 = never decay).</summary>
    [Range(0.01, 1.0)] public double DecayFactor { get; set; } = 0.5;

    /// <summary>Validations without improvement before the learning rate decays.</summary>
    [Range(1, 1000)] public int DecayPatience { get; set; } = 2;

    [Range(0.0, 10.0)] public double MinLearningRate { get; set; } = 1e-5;

    /// <summary>Clip the global L2 norm of the gradient to this (0 = no clipping).</summary>
    /// <summary>On CUDA, run single-precision products on TF32 tensor cores (Ampere and newer); ignored on CPU.</summary>
    public bool AllowTf32 { get; set; } = true;

    [Range(0.0, 1e6)] public double ClipNorm { get; set; } = 1.0;

    [Range(0.0, 0.99)] public double LabelSmoothing { get; set; }

    /// <summary>Probability of replacing each source token by <c>&lt;unk&gt;</c> in training (word dropout).</summary>
    [Range(0.0, 0.9)] public double SourceWordDropout { get; set; }

    /// <summary>Probability of replacing each decoder input token by <c>&lt;unk&gt;</c> in training (the targets of the loss stay intact).</summary>
    [Range(0.0, 0.9)] public double TargetWordDropout { get; set; }

    [Range(0.0, 1.0)] public double WeightDecay { get; set; }

    /// <summary>Validate every this many updates (0 = at the end of each epoch).</summary>
    [Range(0, 10_000_000)] public int ValidateEvery { get; set; }

    /// <summary>
    /// Write a checkpoint at least this many times over the run: whenever 1/N of the budget (epochs, steps or
    /// seconds, whichever ends the run first) has passed since the last one. Then the last kept checkpoints, which
    /// <c>average --last</c> takes, come from the end of the run however long an epoch is, without validating more
    /// often (0 = only at validations and <see cref="CheckpointEvery"/>).
    /// </summary>
    [Range(0, 10_000)] public int MinCheckpoints { get; set; }

    /// <summary>Also write a <c>last</c> checkpoint every this many updates between validations (0 = only at validation).</summary>
    [Range(0, 10_000_000)] public int CheckpointEvery { get; set; }

    /// <summary>Stop after this many validations without improvement (0 = never stop early).</summary>
    [Range(0, 1000)] public int EarlyStoppingPatience { get; set; }

    /// <summary>Metric that picks the <c>best</c> checkpoint and drives decay: <c>bleu</c> or <c>loss</c>.</summary>
    [RegularExpression("^(bleu|loss)$", ErrorMessage = "SelectBy must be bleu or loss")]
    public string SelectBy { get; set; } = "bleu";

    /// <summary>Beam size used to decode the validation set for BLEU.</summary>
    [Range(1, 100)] public int ValidationBeamSize { get; set; } = 1;

    /// <summary>Complete checkpoints kept on disk (besides the best).</summary>
    [Range(1, 1000)] public int KeepCheckpoints { get; set; } = 3;

    /// <summary>Consecutive batches with a non-finite loss tolerated before the run stops.</summary>
    [Range(1, 1000)] public int MaxBadBatches { get; set; } = 5;

    /// <summary>Seconds between progress reports.</summary>
    [Range(0.1, 3600)] public double ReportSeconds { get; set; } = 10;
}
