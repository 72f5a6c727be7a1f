namespace Seq2Seq.Data;

/// <summary>A training example as vocabulary ids (no BOS/EOS; those are added when batching).</summary>
internal sealed record TokenizedPair(int[] Source, int[] Target);
