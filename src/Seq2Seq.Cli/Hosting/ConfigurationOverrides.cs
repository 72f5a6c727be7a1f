using Seq2Seq.IO;

namespace Seq2Seq.Cli.Hosting;

/// <summary>
/// Checks the <c>--Section:Key=value</c> (or <c>--Section:Key value</c>) arguments left over after the
/// command's own options, so a typo is an error instead of a silently ignored setting.
/// </summary>
public static class ConfigurationOverrides
{
    /// <summary>
    /// Returns the overrides as key/value pairs; throws for anything that is not one, or whose section is not
    /// one of <paramref name="sections"/> (the training sections by default).
    /// </summary>
    public static Dictionary<string, string?> Parse(IReadOnlyList<string> tokens, IReadOnlyList<string>? sections = null)
    {
        sections ??= TrainingHost.Sections;
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < tokens.Count; i++)
        {
            string token = tokens[i];
            if (!token.StartsWith("--", StringComparison.Ordinal) || !token.Contains(':'))
                throw new InputException($"unknown option or argument '{token}' (configuration overrides look like --Training:LearningRate=0.0005)");
            string body = token[2..];
            string key, value;
            int equals = body.IndexOf('=');
            if (equals >= 0) (key, value) = (body[..equals], body[(equals + 1)..]);
            else if (i + 1 < tokens.Count && !tokens[i + 1].StartsWith("--", StringComparison.Ordinal)) (key, value) = (body, tokens[++i]);
            else throw new InputException($"configuration override '{token}' has no value (use --Section:Key=value)");
            string section = key[..key.IndexOf(':')];
            if (!sections.Contains(section, StringComparer.OrdinalIgnoreCase))
                throw new InputException($"unknown configuration section '{section}' in '{token}' (sections: {string.Join(", ", sections)})");
            result[key] = value;
        }
        return result;
    }
}
