using System.ComponentModel.DataAnnotations;

namespace Seq2Seq.Serving;

/// <summary>
/// Limits and batching of <c>seq2seq serve</c>, bound strictly from the <c>Serve</c> section
/// (<c>--Serve:MaxBatchRows=64</c>, <c>SEQ2SEQ_Serve__MaxBatchRows=64</c>, or a JSON file) and validated at start.
/// </summary>
public sealed class ServeOptions
{
    public const string Section = "Serve";

    /// <summary>Texts (or pairs to score) in one request.</summary>
    [Range(1, 100_000)] public int MaxTextsPerRequest { get; set; } = 64;

    /// <summary>Characters (Unicode scalar values) in one text.</summary>
    [Range(1, 1_000_000)] public int MaxCharactersPerText { get; set; } = 2_000;

    /// <summary>Bytes in one request body.</summary>
    [Range(64, 1 << 30)] public int MaxBodyBytes { get; set; } = 1 << 20;

    /// <summary>Requests waiting for the search worker; beyond this a request is refused with 503 and Retry-After.</summary>
    [Range(1, 1_000_000)] public int MaxQueuedRequests { get; set; } = 256;

    /// <summary>
    /// Texts in the running batch: texts of any requests are searched together, joining at a step boundary and
    /// leaving when done; beyond this, texts wait in the queue for others to finish.
    /// </summary>
    [Range(1, 4096)] public int MaxBatchRows { get; set; } = 64;

    /// <summary>
    /// Padded source positions (each text's subwords and EOS, rounded up to 16) in the running batch. A step's
    /// attention reads all of them, so a few very long texts could slow every step; beyond this, texts wait in the
    /// queue. A text is always let in when nothing else is running.
    /// </summary>
    [Range(16, 10_000_000)] public int MaxBatchSourceTokens { get; set; } = 4096;

    /// <summary>
    /// Steps a text may wait before it joins a running search, so that texts arriving one by one are encoded
    /// together (encoding one text costs about as much as encoding 16, close to a whole step). A text that starts a
    /// search, or finds 16 texts waiting with it, joins at once; 0 = every text joins at the next step.
    /// </summary>
    [Range(0, 1000)] public int MaxJoinWaitSteps { get; set; } = 4;

    /// <summary>
    /// When the worker is idle, how long it may wait for requests still being received so they start together
    /// (0 = start with what is queued). It never waits when no other request is arriving, so a lone client pays
    /// nothing for it; while texts are being searched, new ones join at the next step without waiting.
    /// </summary>
    [Range(0, 10_000)] public int MaxWaitMilliseconds { get; set; } = 5;

    /// <summary>Largest beam a request may ask for.</summary>
    [Range(1, 1000)] public int MaxBeam { get; set; } = 20;

    /// <summary>Seconds a client is told to wait (Retry-After) when the queue is full or the model is still loading.</summary>
    [Range(1, 3600)] public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>On SIGTERM or Ctrl+C, how long requests in flight may take to finish before the process exits anyway.</summary>
    [Range(1, 3600)] public int ShutdownSeconds { get; set; } = 30;
}
