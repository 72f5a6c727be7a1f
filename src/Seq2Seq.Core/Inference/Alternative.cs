namespace Seq2Seq.Inference;

/// <summary>
/// A next word offered where a translation becomes free (after the typed prefix): the word, the model's probability
/// of its subwords there, and the best translation that goes on with it (prefix, word and completion).
/// </summary>
public sealed record Alternative(string Word, double Probability, TranslationCandidate Translation);
