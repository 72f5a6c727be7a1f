namespace Seq2Seq.Demo;

/// <summary>The demo's small English–German vocabulary, with the German gender and forms the grammar needs.</summary>
internal static class DemoLexicon
{
    internal enum Gender { Masculine, Feminine, Neuter }

    internal sealed record Noun(string En, string EnPlural, string De, string DePlural, Gender Gender);

    internal sealed record Verb(string En, string En3Sg, string DeInfinitive, string De1Sg, string De3Sg);

    internal static readonly Noun[] Nouns =
    [
        new("dog", "dogs", "Hund", "Hunde", Gender.Masculine),
        new("cat", "cats", "Katze", "Katzen", Gender.Feminine),
        new("house", "houses", "Haus", "Häuser", Gender.Neuter),
        new("car", "cars", "Auto", "Autos", Gender.Neuter),
        new("bird", "birds", "Vogel", "Vögel", Gender.Masculine),
        new("woman", "women", "Frau", "Frauen", Gender.Feminine),
        new("man", "men", "Mann", "Männer", Gender.Masculine),
        new("child", "children", "Kind", "Kinder", Gender.Neuter),
        new("teacher", "teachers", "Lehrer", "Lehrer", Gender.Masculine),
        new("book", "books", "Buch", "Bücher", Gender.Neuter),
        new("flower", "flowers", "Blume", "Blumen", Gender.Feminine),
        new("ball", "balls", "Ball", "Bälle", Gender.Masculine),
        new("apple", "apples", "Apfel", "Äpfel", Gender.Masculine),
        new("table", "tables", "Tisch", "Tische", Gender.Masculine),
        new("bike", "bikes", "Fahrrad", "Fahrräder", Gender.Neuter),
        new("lamp", "lamps", "Lampe", "Lampen", Gender.Feminine),
    ];

    internal static readonly (string En, string De)[] Adjectives =
    [
        ("red", "rot"), ("big", "groß"), ("small", "klein"), ("old", "alt"), ("new", "neu"),
        ("green", "grün"), ("black", "schwarz"), ("white", "weiß"), ("blue", "blau"), ("young", "jung"),
    ];

    internal static readonly Verb[] Verbs =
    [
        new("see", "sees", "sehen", "sehe", "sieht"),
        new("like", "likes", "mögen", "mag", "mag"),
        new("find", "finds", "finden", "finde", "findet"),
        new("hear", "hears", "hören", "höre", "hört"),
        new("carry", "carries", "tragen", "trage", "trägt"),
        new("paint", "paints", "malen", "male", "malt"),
        new("buy", "buys", "kaufen", "kaufe", "kauft"),
        new("wash", "washes", "waschen", "wasche", "wäscht"),
    ];

    internal static readonly (string En, string De)[] Modals =
    [
        ("can", "kann"), ("must", "muss"), ("wants to", "will"), ("should", "soll"),
    ];

    internal static readonly (string En, string De)[] Numbers =
    [
        ("two", "zwei"), ("three", "drei"), ("four", "vier"), ("five", "fünf"), ("six", "sechs"), ("seven", "sieben"),
        ("eight", "acht"), ("nine", "neun"), ("ten", "zehn"), ("eleven", "elf"), ("twelve", "zwölf"),
    ];

    internal static readonly (string En, string De)[] Weekdays =
    [
        ("Monday", "Montag"), ("Tuesday", "Dienstag"), ("Wednesday", "Mittwoch"), ("Thursday", "Donnerstag"),
        ("Friday", "Freitag"), ("Saturday", "Samstag"), ("Sunday", "Sonntag"),
    ];

    internal static readonly (string En, string De)[] Months =
    [
        ("January", "Januar"), ("February", "Februar"), ("March", "März"), ("April", "April"), ("May", "Mai"),
        ("June", "Juni"), ("July", "Juli"), ("August", "August"), ("September", "September"),
        ("October", "Oktober"), ("November", "November"), ("December", "Dezember"),
    ];

    /// <summary>Subordinate-clause openers: "I know that ..." puts the German verb at the end.</summary>
    internal static readonly (string En, string De)[] Openers =
    [
        ("I know that", "Ich weiß , dass"), ("We think that", "Wir denken , dass"), ("She says that", "Sie sagt , dass"),
    ];

    internal static string Nominative(Gender gender) => gender switch
    {
        Gender.Masculine => "der", Gender.Feminine => "die", _ => "das",
    };

    internal static string Accusative(Gender gender) => gender switch
    {
        Gender.Masculine => "den", Gender.Feminine => "die", _ => "das",
    };

    /// <summary>Weak adjective ending after a definite article: -en only for the masculine accusative.</summary>
    internal static string WeakAdjective(string stem, Gender gender, bool accusative) =>
        stem + (accusative && gender == Gender.Masculine ? "en" : "e");
}
