namespace Seq2Seq.Demo;

/// <summary>The demo corpus: English–German pairs split into disjoint train, dev and test sets.</summary>
public sealed record DemoSplits(
    IReadOnlyList<(string En, string De)> Train,
    IReadOnlyList<(string En, string De)> Dev,
    IReadOnlyList<(string En, string De)> Test);
