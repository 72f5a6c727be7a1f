namespace Seq2Seq.Tests.Support;

/// <summary>
/// Tests that need bit-for-bit reproducible training in this process: libtorch's random generator is global,
/// so they must not run while other tests draw from it (model initialisation, random tensors).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalRandomCollection
{
    public const string Name = "torch global random generator";
}
