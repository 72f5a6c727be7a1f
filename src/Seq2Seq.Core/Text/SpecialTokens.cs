namespace Seq2Seq.Text;

/// <summary>
/// The reserved symbols every vocabulary starts with. Their ids are fixed so that padding can be
/// recognised (and ignored by the loss) without consulting the vocabulary.
/// </summary>
internal static class SpecialTokens
{
    public const string Pad = "<pad>";
    public const string Unknown = "<unk>";
    public const string BeginOfSentence = "<s>";
    public const string EndOfSentence = "</s>";

    public const int PadId = 0;
    public const int UnknownId = 1;
    public const int BosId = 2;
    public const int EosId = 3;

    /// <summary>The special tokens in id order.</summary>
    public static readonly IReadOnlyList<string> All = [Pad, Unknown, BeginOfSentence, EndOfSentence];

    /// <summary>True for ids that never appear in detokenized text.</summary>
    public static bool IsControl(int id) => id is PadId or BosId or EosId;
}
