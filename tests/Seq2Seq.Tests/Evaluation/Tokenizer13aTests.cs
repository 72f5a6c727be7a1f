using Seq2Seq.Evaluation;

namespace Seq2Seq.Tests.Evaluation;

// Expected outputs follow the rules in sacrebleu/tokenizers/tokenizer_13a.py and tokenizer_re.py, traced by hand
// (and cross-checked against sacreBLEU's own Tokenizer13a):
//   1. ASCII symbols [{-~ [-` space-& (-+ :-@ /] get spaces around them (not ' , - . or digits);
//   2. '.' and ',' after a non-digit are split off; 3. '.' and ',' before a non-digit are split off;
//   4. '-' after a digit is split off; then whitespace (Python's definition) collapses to single spaces.
public class Tokenizer13aTests
{
    [Theory]
    [InlineData("Hello, world.", "Hello , world .")]               // rules 2 and 3 (the line is padded with spaces)
    [InlineData("3.14", "3.14")]                                    // digit on both sides: kept
    [InlineData("pi is 3.14.", "pi is 3.14 .")]                     // final '.' is followed by the padding space
    [InlineData("1,000 people", "1,000 people")]
    [InlineData("$5,000.00!", "$ 5,000.00 !")]
    [InlineData("costs .5 dollars", "costs . 5 dollars")]           // rule 2: ' ' before '.' is a non-digit
    [InlineData(".start", ". start")]
    [InlineData("end,", "end ,")]
    [InlineData("a.b,c", "a . b , c")]
    [InlineData("U.S.A.", "U . S . A .")]
    [InlineData("Wait...", "Wait . . .")]                           // "t." then ".." then ". " — no overlap needed
    [InlineData("Wait... 3.5.", "Wait . . . 3.5 .")]
    [InlineData("don't", "don't")]                                  // apostrophe is outside the symbol class
    [InlineData("well-known", "well-known")]
    [InlineData("1990-2000", "1990 - 2000")]                        // rule 4
    [InlineData("-5 and 5-", "-5 and 5 -")]
    [InlineData("5.-", "5 . -")]                                    // rule 3 takes ".-" before rule 4 sees "5-"
    [InlineData("(a+b)*c=d", "( a + b ) * c = d")]
    [InlineData("e-mail: x@y.com", "e-mail : x @ y . com")]
    [InlineData("#1 [x] {y} ~z_ ^ `q` |p| \\r", "# 1 [ x ] { y } ~ z _ ^ ` q ` | p | \\ r")]
    public void Splits_ascii_punctuation_like_mteval_13a(string line, string expected) =>
        Assert.Equal(expected, Tokenizer13a.Tokenize(line));

    [Theory]
    [InlineData("Tom &amp; Jerry", "Tom & Jerry")]
    [InlineData("&quot;Hi&quot;", "\" Hi \"")]
    [InlineData("&lt;b&gt;", "< b >")]
    [InlineData("&amp;lt;", "<")]                                   // replacements run in sequence: &amp; → & then &lt; → <
    [InlineData("&apos;s", "& apos ; s")]                           // only the four entities are unescaped
    public void Unescapes_the_four_mteval_entities_in_order(string line, string expected) =>
        Assert.Equal(expected, Tokenizer13a.Tokenize(line));

    [Theory]
    [InlineData("a <skipped> b", "a b")]
    [InlineData("hyphen-\nated", "hyphenated")]                     // "-\n" is joined before "\n" becomes a space
    [InlineData("two\nlines", "two lines")]
    [InlineData("  a \t b  ", "a b")]
    [InlineData("", "")]
    [InlineData("   ", "")]
    public void Removes_skipped_tags_joins_hyphenated_lines_and_collapses_whitespace(string line, string expected) =>
        Assert.Equal(expected, Tokenizer13a.Tokenize(line));

    [Theory]
    [InlineData("„Hallo“ sagte er — dann…", "„Hallo“ sagte er — dann…")] // U+201E, U+201C, U+2014, U+2026: not in the class
    [InlineData("«Bonjour»", "«Bonjour»")]
    [InlineData("¿Qué?", "¿Qué ?")]                                 // only the ASCII '?' is split
    [InlineData("„Hallo“, sagte er", "„Hallo“ , sagte er")]         // ',' after '“' (a non-digit) is split by rule 2
    [InlineData("100\u00A0km", "100 km")]                           // Python's str.split() treats NBSP as whitespace
    [InlineData("a\u2009b", "a b")]                                 // thin space too
    [InlineData("x\u001Cy", "x y")]                                 // and the ASCII separator U+001C, unlike char.IsWhiteSpace
    [InlineData("a\u200Bb", "a\u200Bb")]                            // zero-width space is not whitespace in Python
    public void Leaves_unicode_punctuation_attached_but_splits_on_python_whitespace(string line, string expected) =>
        Assert.Equal(expected, Tokenizer13a.Tokenize(line));

    [Fact]
    public void Splits_exactly_the_ascii_characters_of_the_13a_symbol_class_plus_period_and_comma()
    {
        // The character class [\{-\~\[-\` -\&\(-\+\:-\@\/] covers {|}~ [\]^_` !"#$%& ()*+ :;<=>?@ /;
        // '.' and ',' are split by rules 2/3 because 'a' is not a digit.
        const string split = "!\"#$%&()*+,./:;<=>?@[\\]^_`{|}~";
        for (char c = '!'; c <= '~'; c++)
        {
            string expected = split.Contains(c) ? $"a {c} b" : $"a{c}b";
            Assert.Equal(expected, Tokenizer13a.Tokenize($"a{c}b"));
        }
    }

    [Fact]
    public void Whitespace_is_exactly_pythons_str_isspace_set()
    {
        // From Python 3: [hex(c) for c in range(0x110000) if chr(c).isspace()] — all in the BMP.
        int[] pythonWhitespace =
        [
            0x9, 0xA, 0xB, 0xC, 0xD, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003,
            0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
        ];
        var separating = new List<int>();
        for (int c = 0; c <= char.MaxValue; c++)
        {
            if (Tokenizer13a.Tokenize($"x{(char)c}y") == "x y") separating.Add(c);
        }
        Assert.Equal(pythonWhitespace, separating);
    }
}
