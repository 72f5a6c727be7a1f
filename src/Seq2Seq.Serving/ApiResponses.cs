using System.Text.Json.Nodes;

namespace Seq2Seq.Serving;

// The JSON answers of the /v1 endpoints as types, so the OpenAPI document describes them. The handlers write these
// fields exactly as `translate --format jsonl` and `score` write their lines (byte for byte; a test holds every real
// answer to these types, unknown fields refused). Names are snake_case on the wire.

/// <summary>The answer of <c>POST /v1/translate</c>: one entry per text, in order.</summary>
public sealed record TranslateResponse(IReadOnlyList<TranslationEntry> Translations);

/// <summary>A translation: the best candidate's fields, the n-best list when asked for, and the annotations asked for.</summary>
public sealed record TranslationEntry(
    string Source, string Translation, double LogProb, double Score, IReadOnlyList<string> Tokens, IReadOnlyList<float> TokenLogProbs,
    IReadOnlyList<CandidateEntry>? NBest = null, bool? Truncated = null, string? Alignment = null, AttentionEntry? Attention = null,
    JsonObject? Coverage = null, IReadOnlyList<AlternativeEntry>? Alternatives = null);

/// <summary>A next word offered where the translation becomes free: its probability and the translation that goes on with it.</summary>
public sealed record AlternativeEntry(string Word, double Probability, string Translation);

/// <summary>One of the n best translations.</summary>
public sealed record CandidateEntry(string Translation, double LogProb, double Score, IReadOnlyList<string> Tokens, IReadOnlyList<float> TokenLogProbs);

/// <summary>Subword attention: one row of weights per target token, one column per source token (and &lt;/s&gt;).</summary>
public sealed record AttentionEntry(IReadOnlyList<string> SourceTokens, IReadOnlyList<string> TargetTokens, IReadOnlyList<IReadOnlyList<float>> Weights);

/// <summary>The answer of <c>POST /v1/score</c>: one entry per pair, in order.</summary>
public sealed record ScoreResponse(IReadOnlyList<ScoreEntry> Scores);

/// <summary>A pair's log-probability under the model, in total and per target token (end token included).</summary>
public sealed record ScoreEntry(string Source, string Target, double LogProb, IReadOnlyList<string> Tokens, IReadOnlyList<float> TokenLogProbs);

/// <summary>The answer of <c>GET /v1/model</c>.</summary>
public sealed record ModelResponse(
    CheckpointEntry Checkpoint, JsonObject Config, int SourceVocabularySize, int TargetVocabularySize, long Parameters,
    string Device, string Precision, int MaxSourceTokens, int Threads);

/// <summary>The checkpoint a model was loaded from.</summary>
public sealed record CheckpointEntry(string Directory, long Step, DateTime CreatedUtc);
