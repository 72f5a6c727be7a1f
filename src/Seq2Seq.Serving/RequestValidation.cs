using Microsoft.AspNetCore.Http;
using Seq2Seq.Inference;

namespace Seq2Seq.Serving;

/// <summary>Checks a parsed request against the service's limits and the search options' ranges, naming the field at fault.</summary>
public static class RequestValidation
{
    /// <summary>The search options of a valid translate request, or the problem to answer with.</summary>
    public static (SearchOptions? Options, IResult? Problem) Check(TranslateRequest request, ServeOptions limits)
    {
        if (CheckTexts(request.Texts, "texts", limits) is { } problem) return (null, problem);
        if (request.Prefixes is { } prefixes)
        {
            if (prefixes.Count != request.Texts.Count)
                return (null, Problems.Bad($"prefixes must hold one prefix per text ({request.Texts.Count}), not {prefixes.Count}", "prefixes", request.Texts.Count));
            for (int i = 0; i < prefixes.Count; i++)
                if (prefixes[i] is not { } prefix) return (null, Problems.Bad($"prefixes[{i}] must be a string (\"\" for none)", $"prefixes[{i}]"));
                else if (prefix.Length > 0 && CheckText(prefix, $"prefixes[{i}]", limits) is { } bad) return (null, bad);
        }
        if (request.Beam < 1 || request.Beam > limits.MaxBeam)
            return (null, Problems.Bad($"beam must be between 1 and {limits.MaxBeam} (Serve:MaxBeam), not {request.Beam}", "beam", limits.MaxBeam));
        if (request.NBest < 1 || request.NBest > request.Beam)
            return (null, Problems.Bad($"n_best must be between 1 and the beam ({request.Beam}), not {request.NBest}", "n_best", request.Beam));
        if (!double.IsFinite(request.LengthPenalty) || request.LengthPenalty < 0 || request.LengthPenalty > SearchOptions.MaxLengthPenalty)
            return (null, Problems.Bad($"length_penalty must be between 0 and {SearchOptions.MaxLengthPenalty}, not {request.LengthPenalty}", "length_penalty", SearchOptions.MaxLengthPenalty));
        if (request.Alternatives < 0 || request.Alternatives > SearchOptions.MaxAlternatives)
            return (null, Problems.Bad($"alternatives must be between 0 and {SearchOptions.MaxAlternatives}, not {request.Alternatives}", "alternatives", SearchOptions.MaxAlternatives));
        return (new SearchOptions { BeamSize = request.Beam, NBest = request.NBest, LengthPenalty = request.LengthPenalty, Alternatives = request.Alternatives }, null);
    }

    /// <summary>The problem with a valid request's prefixes that only the model can see (<see cref="TranslationModel.PrefixProblem"/>), or null.</summary>
    public static IResult? CheckPrefixes(TranslateRequest request, TranslationModel model)
    {
        for (int i = 0; request.Prefixes is not null && i < request.Prefixes.Count; i++)
            if (model.PrefixProblem(request.Texts[i], request.Prefixes[i]) is { } problem) return Problems.Bad($"prefixes[{i}]: {problem}", $"prefixes[{i}]");
        return null;
    }

    /// <summary>The problem with a score request, or null when it is valid.</summary>
    public static IResult? Check(ScoreRequest request, ServeOptions limits)
    {
        if (request.Pairs.Count == 0) return Problems.Bad("pairs must hold at least one pair", "pairs", 1);
        if (request.Pairs.Count > limits.MaxTextsPerRequest)
            return TooMany("pairs", request.Pairs.Count, limits);
        for (int i = 0; i < request.Pairs.Count; i++)
        {
            if (request.Pairs[i] is not { } pair) return Problems.Bad($"pairs[{i}] must be an object with source and target", $"pairs[{i}]");
            if (CheckText(pair.Source, $"pairs[{i}].source", limits) is { } source) return source;
            if (CheckText(pair.Target, $"pairs[{i}].target", limits) is { } target) return target;
        }
        return null;
    }

    private static IResult? CheckTexts(IReadOnlyList<string> texts, string field, ServeOptions limits)
    {
        if (texts.Count == 0) return Problems.Bad($"{field} must hold at least one text", field, 1);
        if (texts.Count > limits.MaxTextsPerRequest) return TooMany(field, texts.Count, limits);
        for (int i = 0; i < texts.Count; i++)
            if (CheckText(texts[i], $"{field}[{i}]", limits) is { } problem) return problem;
        return null;
    }

    private static IResult TooMany(string field, int count, ServeOptions limits) =>
        Problems.Bad($"{field} holds {count} entries; at most {limits.MaxTextsPerRequest} are allowed per request (Serve:MaxTextsPerRequest)",
            field, limits.MaxTextsPerRequest);

    private static IResult? CheckText(string? text, string field, ServeOptions limits)
    {
        // Elements of a list are not covered by the serializer's null checks.
        if (text is null) return Problems.Bad($"{field} must be a string, not null", field);
        int characters = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(c)) return Problems.Bad($"{field} holds an unpaired UTF-16 surrogate at character {characters}", field);
            else if (c == '\0') return Problems.Bad($"{field} holds a NUL character (at {characters}); translate refuses such lines too", field);
            if (++characters > limits.MaxCharactersPerText)
                return Problems.Bad($"{field} is longer than {limits.MaxCharactersPerText} characters (Serve:MaxCharactersPerText)", field, limits.MaxCharactersPerText);
        }
        return null;
    }
}
