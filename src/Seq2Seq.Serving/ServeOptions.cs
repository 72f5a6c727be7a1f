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

    /// <summary>Texts searched together in one batched beam search (texts of several requests are merged up to this).</summary>
    [Range(1, 4096)] public int MaxBatchRows { get; set; } = 64;

    /// <summary>
    /// How long the worker may wait for requests still being received to join a batch (0 = take what is queued).
    /// It never waits when no other request is arriving, so a lone client pays nothing for it.
    /// </summary>
    [Range(0, 10_000)] public int MaxWaitMilliseconds { get; set; } = 5;

    /// <summary>Largest beam a request may ask for.</summary>
    [Range(1, 1000)] public int MaxBeam { get; set; } = 20;

    /// <summary>Seconds a client is told to wait (Retry-After) when the queue is full or the model is still loading.</summary>
    [Range(1, 3600)] public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>On SIGTERM or Ctrl+C, how long requests in flight may take to finish before the process exits anyway.</summary>
    [Range(1, 3600)] public int ShutdownSeconds { get; set; } = 30;
}
