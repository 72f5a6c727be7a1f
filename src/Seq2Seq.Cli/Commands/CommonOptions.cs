using System.CommandLine;
using Seq2Seq.Inference;

namespace Seq2Seq.Cli.Commands;

/// <summary>Options shared by several commands, defined once so they read the same everywhere.</summary>
public static class CommonOptions
{
    public static Option<string> Device() => new Option<string>("--device")
    {
        Description = "auto (CUDA when available), cpu, or cuda[:N]",
        DefaultValueFactory = _ => "auto",
    };

    public static Option<string> Precision()
    {
        var option = new Option<string>("--precision")
        {
            Description = "Numeric precision of the model while decoding: fp32, or bf16/fp16 (for GPUs; scores stay fp32)",
            DefaultValueFactory = _ => "fp32",
        };
        option.AcceptOnlyFromAmong(Runtime.Precision.Names);
        return option;
    }

    /// <summary>
    /// Opens the <c>--model</c> folders (several: an ensemble) through the library's facade; changes of the thread
    /// count (another process taking a core, the core free again) are told on standard error, as in training.
    /// </summary>
    public static TranslationModel OpenModel(DirectoryInfo[] models, double[]? weights, string device, string precision, int? threads,
        int maxSourceTokens = TranslationModelOptions.DefaultMaxSourceTokens) =>
        TranslationModel.Open([.. models.Select(m => m.FullName)], new TranslationModelOptions
        {
            Device = device, Precision = precision, Threads = threads, EnsembleWeights = weights, MaxSourceTokens = maxSourceTokens,
            Logger = new Terminal.TerminalLoggerProvider(Terminal.ConsoleOutput.ForDiagnostics()).CreateLogger("Seq2Seq"),
        });

    /// <summary><c>--threads N</c>: libtorch's CPU threads (see <see cref="Runtime.ThreadGovernor"/>).</summary>
    public static Option<int?> Threads()
    {
        var option = new Option<int?>("--threads")
        {
            Description = $"CPU threads for tensor math (default: all {Runtime.ThreadGovernor.AvailableCores} cores available, one while another process takes a core; a number fixes the count)",
        };
        option.Validators.Add(r => { if (r.GetValueOrDefault<int?>() < 1) r.AddError("--threads must be at least 1"); });
        return option;
    }

    public static Option<DirectoryInfo[]> Model() => new("--model")
    {
        Description = "A checkpoint folder, or a training run folder (its best checkpoint); give it several times to decode with an ensemble",
        Required = true,
        Arity = ArgumentArity.OneOrMore,
    };

    public static Option<double[]> EnsembleWeights() => new("--ensemble-weights")
    {
        Description = "Relative weight of each --model in an ensemble, in the same order (default: equal)",
        AllowMultipleArgumentsPerToken = true,
    };

    public static Option<int> BatchSize(int defaultValue = TranslationModel.DefaultBatchSize) => new("--batch-size")
    {
        Description = "Sentences decoded together",
        DefaultValueFactory = _ => defaultValue,
    };

    /// <summary>The search options (--beam, --n-best, --length-penalty, --max-length-ratio) as a group.</summary>
    public sealed class Search
    {
        public Option<int> Beam { get; } = new("--beam") { Description = "Beam size (1 = greedy)", DefaultValueFactory = _ => 5 };
        public Option<int> NBest { get; } = new("--n-best") { Description = "Translations to output per sentence", DefaultValueFactory = _ => 1 };
        public Option<double> LengthPenalty { get; } = new("--length-penalty") { Description = "GNMT length penalty alpha (0 = rank by raw log-probability)", DefaultValueFactory = _ => 1.0 };
        public Option<double> MaxLengthRatio { get; } = new("--max-length-ratio") { Description = "Output length limit as a multiple of the source length (+5 tokens)", DefaultValueFactory = _ => 2.0 };

        public void AddTo(Command command)
        {
            command.Add(Beam);
            command.Add(NBest);
            command.Add(LengthPenalty);
            command.Add(MaxLengthRatio);
        }

        public SearchOptions Read(ParseResult parse)
        {
            var options = new SearchOptions
            {
                BeamSize = parse.GetValue(Beam),
                NBest = parse.GetValue(NBest),
                LengthPenalty = parse.GetValue(LengthPenalty),
                MaxLengthRatio = parse.GetValue(MaxLengthRatio),
            };
            try { options.Validate(); }
            catch (System.ComponentModel.DataAnnotations.ValidationException e) { throw new IO.InputException(e.Message); }
            return options;
        }
    }
}
