using System.Text;
using Seq2Seq.Data;
using Seq2Seq.IO;
using static Seq2Seq.Demo.DemoLexicon;

namespace Seq2Seq.Demo;

/// <summary>
/// Generates the demo's English→German corpus from a small grammar: noun phrases with German gender and case,
/// modal verbs and subordinate clauses that move the German verb to the end, numbers and dates that reorder.
/// Every split's sentences are distinct from every other split's, so the test measures generalisation, and
/// the same seed gives the same corpus on every machine (the generator is <see cref="SplitMix64"/>).
/// </summary>
public static class DemoCorpus
{
    public static DemoSplits Generate(DemoCorpusOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.TrainPairs);
        ArgumentOutOfRangeException.ThrowIfNegative(options.DevPairs);
        ArgumentOutOfRangeException.ThrowIfNegative(options.TestPairs);
        var random = new SplitMix64((ulong)options.Seed);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        List<(string, string)> Take(int count)
        {
            var pairs = new List<(string, string)>(count);
            for (int attempts = 0; pairs.Count < count; attempts++)
            {
                if (attempts > 50 * count + 1000) throw new InvalidOperationException($"the demo grammar cannot produce {count} more distinct sentences");
                var pair = Sentence(random);
                if (seen.Add(pair.En)) pairs.Add(pair);
            }
            return pairs;
        }
        // Test and dev first, so their sizes do not change which sentences they get when TrainPairs changes.
        var test = Take(options.TestPairs);
        var dev = Take(options.DevPairs);
        var train = Take(options.TrainPairs);
        return new DemoSplits(train, dev, test);
    }

    /// <summary>Writes <c>train.en</c>, <c>train.de</c>, <c>dev.*</c> and <c>test.*</c> into <paramref name="directory"/>.</summary>
    public static void Write(DemoSplits splits, string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var (name, pairs) in new[] { ("train", splits.Train), ("dev", splits.Dev), ("test", splits.Test) })
        {
            AtomicFile.WriteAllText(Path.Combine(directory, name + ".en"), Lines(pairs.Select(p => p.En)));
            AtomicFile.WriteAllText(Path.Combine(directory, name + ".de"), Lines(pairs.Select(p => p.De)));
        }
    }

    private static string Lines(IEnumerable<string> lines)
    {
        var text = new StringBuilder();
        foreach (var line in lines) text.Append(line).Append('\n');
        return text.ToString();
    }

    private static (string En, string De) Sentence(SplitMix64 random) => Pick(random, 10) switch
    {
        < 3 => Transitive(random),
        < 5 => Modal(random),
        < 7 => Subordinate(random),
        < 9 => Counting(random),
        _ => Date(random),
    };

    /// <summary>"The old dog sees the red ball ." → "Der alte Hund sieht den roten Ball ."</summary>
    private static (string, string) Transitive(SplitMix64 random)
    {
        var (subjectEn, subjectDe) = NounPhrase(random, accusative: false);
        var (objectEn, objectDe) = NounPhrase(random, accusative: true);
        var verb = Pick(random, Verbs);
        return ($"{Capital(subjectEn)} {verb.En3Sg} {objectEn} .", $"{Capital(subjectDe)} {verb.De3Sg} {objectDe} .");
    }

    /// <summary>"The man can see the dog ." → "Der Mann kann den Hund sehen ." (the infinitive moves to the end).</summary>
    private static (string, string) Modal(SplitMix64 random)
    {
        var (subjectEn, subjectDe) = NounPhrase(random, accusative: false);
        var (objectEn, objectDe) = NounPhrase(random, accusative: true);
        var verb = Pick(random, Verbs);
        var modal = Pick(random, Modals);
        return ($"{Capital(subjectEn)} {modal.En} {verb.En} {objectEn} .", $"{Capital(subjectDe)} {modal.De} {objectDe} {verb.DeInfinitive} .");
    }

    /// <summary>"I know that the cat sees the bird ." → "Ich weiß , dass die Katze den Vogel sieht ." (verb-final clause).</summary>
    private static (string, string) Subordinate(SplitMix64 random)
    {
        var opener = Pick(random, Openers);
        var (subjectEn, subjectDe) = NounPhrase(random, accusative: false);
        var (objectEn, objectDe) = NounPhrase(random, accusative: true);
        var verb = Pick(random, Verbs);
        return ($"{opener.En} {subjectEn} {verb.En3Sg} {objectEn} .", $"{opener.De} {subjectDe} {objectDe} {verb.De3Sg} .");
    }

    /// <summary>"We buy seven green apples ." → "Wir kaufen sieben grüne Äpfel ."</summary>
    private static (string, string) Counting(SplitMix64 random)
    {
        var verb = Pick(random, Verbs);
        var number = Pick(random, Numbers);
        var adjective = Pick(random, Adjectives);
        var noun = Pick(random, Nouns);
        bool singular = Pick(random, 2) == 0;
        string en = singular ? $"I {verb.En}" : $"We {verb.En}";
        string de = singular ? $"Ich {verb.De1Sg}" : $"Wir {verb.DeInfinitive}";
        return ($"{en} {number.En} {adjective.En} {noun.EnPlural} .", $"{de} {number.De} {adjective.De}e {noun.DePlural} .");
    }

    /// <summary>"The market is on Friday , May 3 ." → "Der Markt ist am Freitag , dem 3. Mai ."</summary>
    private static (string, string) Date(SplitMix64 random)
    {
        (string En, string De)[] events = [("The market", "Der Markt"), ("The party", "Die Party"), ("The concert", "Das Konzert"), ("The test", "Der Test")];
        var subject = Pick(random, events);
        var weekday = Pick(random, Weekdays);
        var month = Pick(random, Months);
        int day = 1 + Pick(random, 28);
        return ($"{subject.En} is on {weekday.En} , {month.En} {day} .", $"{subject.De} ist am {weekday.De} , dem {day}. {month.De} .");
    }

    /// <summary>"the (adjective) noun" in English and the German article and adjective agreeing with the noun.</summary>
    private static (string En, string De) NounPhrase(SplitMix64 random, bool accusative)
    {
        var noun = Pick(random, Nouns);
        string article = accusative ? Accusative(noun.Gender) : Nominative(noun.Gender);
        if (Pick(random, 2) == 0) return ($"the {noun.En}", $"{article} {noun.De}");
        var adjective = Pick(random, Adjectives);
        return ($"the {adjective.En} {noun.En}", $"{article} {WeakAdjective(adjective.De, noun.Gender, accusative)} {noun.De}");
    }

    private static string Capital(string phrase) => char.ToUpperInvariant(phrase[0]) + phrase[1..];

    private static T Pick<T>(SplitMix64 random, IReadOnlyList<T> items) => items[Pick(random, items.Count)];

    private static int Pick(SplitMix64 random, int count) => (int)(random.Next() % (ulong)count);
}
