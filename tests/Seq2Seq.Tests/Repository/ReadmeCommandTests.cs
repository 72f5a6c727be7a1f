using System.Text.RegularExpressions;

namespace Seq2Seq.Tests.Repository;

/// <summary>The README's promises about its own commands.</summary>
public class ReadmeCommandTests
{
    private static string Root([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", ".."));

    /// <summary>The shell commands of the README's "Two commands" section, in order.</summary>
    private static List<string> TwoCommands()
    {
        string readme = File.ReadAllText(Path.Combine(Root(), "README.md"));
        int start = readme.IndexOf("## Two commands", StringComparison.Ordinal);
        int end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return Regex.Matches(readme[start..end], "```sh\n(.*?)\n```", RegexOptions.Singleline).Select(m => m.Groups[1].Value.Trim()).ToList();
    }

    [Fact]
    public void Ci_runs_the_readmes_test_command()
    {
        var commands = TwoCommands();
        Assert.Equal(2, commands.Count);
        string test = commands[1];
        var ci = File.ReadAllLines(Path.Combine(Root(), ".ci", "run")).Where(l => !l.TrimStart().StartsWith('#')).ToList();
        Assert.Contains(ci, line => Regex.IsMatch(line, $@"^\s*{Regex.Escape(test)}(\s|$)"));
    }

    [Fact]
    public void The_test_command_is_an_executable_script_that_runs_the_suite()
    {
        string script = Path.Combine(Root(), TwoCommands()[1]);
        Assert.True(File.Exists(script), script);
        if (!OperatingSystem.IsWindows()) Assert.True(File.GetUnixFileMode(script).HasFlag(UnixFileMode.UserExecute), $"{script} is not executable");
        Assert.Contains("dotnet test Seq2Seq.sln -c Release", File.ReadAllText(script));
    }
}
