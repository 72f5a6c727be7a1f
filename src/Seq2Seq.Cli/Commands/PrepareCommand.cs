using System.CommandLine;
using Seq2Seq.Data;
using Seq2Seq.Text;

namespace Seq2Seq.Cli.Commands;

/// <summary><c>seq2seq prepare --train PREFIX --source-language en --target-language de --vocab-size N --out DIR</c>: learn BPE.</summary>
public static class PrepareCommand
{
    public static Command Create()
    {
        var train = new Option<string>("--train") { Description = "Training corpus: path prefix completed by the language codes (train → train.en, train.de; .gz allowed) or a .tsv file", Required = true };
        var sourceLanguage = new Option<string>("--source-language", "-s") { Description = "Source language code (file suffix)", DefaultValueFactory = _ => "src" };
        var targetLanguage = new Option<string>("--target-language", "-t") { Description = "Target language code (file suffix)", DefaultValueFactory = _ => "tgt" };
        var vocabSize = new Option<int>("--vocab-size") { Description = "Vocabulary entries per side, special tokens included", DefaultValueFactory = _ => 8000 };
        var separate = new Option<bool>("--separate") { Description = "Learn one vocabulary per language instead of a joint one" };
        var splitPunctuation = new Option<bool>("--split-punctuation") { Description = "Split punctuation from words before learning (reversibly, with a joiner mark; Tokenizer:SplitPunctuation)" };
        var minFrequency = new Option<int>("--min-frequency") { Description = "Never merge pairs seen fewer times", DefaultValueFactory = _ => 2 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for source/target vocab.json and merges.txt", Required = true };
        var command = new Command("prepare", "Learn BPE subword vocabularies from training text (files loadable by Microsoft.ML.Tokenizers' BpeTokenizer)")
        {
            train, sourceLanguage, targetLanguage, vocabSize, separate, splitPunctuation, minFrequency, output,
        };
        command.SetAction(parse =>
        {
            int size = parse.GetValue(vocabSize);
            if (size < 16) throw new IO.InputException($"--vocab-size {size}: must be at least 16");
            var files = CorpusFiles.Resolve(parse.GetValue(train)!, parse.GetValue(sourceLanguage)!, parse.GetValue(targetLanguage)!);
            var pairs = ParallelCorpus.Read(files);
            string directory = parse.GetValue(output)!.FullName;
            var (source, target) = BpePreparation.Learn(pairs.Select(p => TextNormalizer.Apply(p.Source)).ToList(),
                pairs.Select(p => TextNormalizer.Apply(p.Target)).ToList(), !parse.GetValue(separate), size,
                Math.Max(1, parse.GetValue(minFrequency)), directory, parse.GetValue(splitPunctuation));
            Console.Error.WriteLine($"Learned {(parse.GetValue(separate) ? "separate" : "joint")} BPE from {pairs.Count} pairs: " +
                $"{source.Vocabulary.Count} source and {target.Vocabulary.Count} target entries, written to {directory}");
            return 0;
        });
        return command;
    }
}
