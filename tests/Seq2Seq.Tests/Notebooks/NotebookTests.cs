using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Seq2Seq.Tests.Support;
using Xunit.Abstractions;

namespace Seq2Seq.Tests.Notebooks;

/// <summary>
/// Runs every notebook under <c>notebooks/</c> as a file-based program (see <see cref="NotebookProgram"/>), so a
/// library change that breaks a notebook fails the build like any other test.
/// </summary>
public sealed partial class NotebookTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(6);

    // The program's project reference then finds the Core that the test build has just compiled up to date.
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private const string TinyNotebook = """
        {
          "cells": [
            { "cell_type": "markdown", "metadata": {}, "source": ["# Title\n", "using Not.Code;\n"] },
            {
              "cell_type": "code", "metadata": { "dotnet_interactive": { "language": "csharp" } },
              "source": ["#r \"../lib/Some.dll\"\n", "#!time\n", "using System.IO;\n", "var greeting = \"hello\";\n", "display(HTML($\"<b>{greeting}</b>\"));"]
            },
            {
              "cell_type": "code", "metadata": { "polyglot_notebook": { "kernelName": "csharp" } },
              "source": "using static System.Math;\n  using   System.IO;  // again\nusing (var stream = new MemoryStream()) { }\nusing var reader = new StringReader(greeting);\nConsole.WriteLine(Max(1, 2));\nif (greeting.Length > 0) throw new InvalidOperationException(\"broken on purpose\");"
            },
            { "cell_type": "code", "metadata": {}, "source": ["Console.WriteLine(\"unreachable\");"] }
          ],
          "metadata": { "kernelspec": { "name": ".net-csharp" } },
          "nbformat": 4,
          "nbformat_minor": 5
        }
        """;

    [Fact]
    public void Converter_hoists_usings_drops_kernel_directives_and_marks_cells()
    {
        string program = NotebookProgram.Convert(TinyNotebook, "tiny.ipynb", "/repo/src/Core.csproj", "/runs/1/artifacts");
        var lines = program.Split('\n');

        Assert.Equal(3, NotebookProgram.CodeCells(TinyNotebook).Count);
        Assert.Equal("#:project /repo/src/Core.csproj", lines[0]);
        Assert.Contains("#:property ArtifactsPath=/runs/1/artifacts", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("#r", StringComparison.Ordinal) || l.StartsWith("#!", StringComparison.Ordinal));
        Assert.DoesNotContain("Not.Code", program, StringComparison.Ordinal);

        // Usings go to the top, once each, whitespace and comments dropped; using statements and declarations stay.
        int firstCell = Array.IndexOf(lines, "__Notebook.Cell(1);");
        Assert.Single(lines, "using System.IO;");
        Assert.InRange(Array.IndexOf(lines, "using System.IO;"), 0, firstCell);
        Assert.InRange(Array.IndexOf(lines, "using static System.Math;"), 0, firstCell);
        Assert.InRange(Array.IndexOf(lines, "using static __Notebook;"), 0, firstCell);
        Assert.True(Array.IndexOf(lines, "using (var stream = new MemoryStream()) { }") > firstCell);
        Assert.True(Array.IndexOf(lines, "using var reader = new StringReader(greeting);") > firstCell);

        // Cells in order, each after its marker and a #line that names the notebook cell in compiler errors.
        int[] order =
        [
            firstCell,
            Array.IndexOf(lines, "#line 1 \"tiny.ipynb, cell 1\""),
            Array.IndexOf(lines, "var greeting = \"hello\";"),
            Array.IndexOf(lines, "__Notebook.Cell(2);"),
            Array.IndexOf(lines, "Console.WriteLine(Max(1, 2));"),
            Array.IndexOf(lines, "__Notebook.Cell(3);"),
            Array.IndexOf(lines, "Console.WriteLine(\"unreachable\");"),
            Array.FindIndex(lines, l => l.StartsWith("static class __Notebook", StringComparison.Ordinal)),
        ];
        Assert.All(order, i => Assert.True(i >= 0));
        Assert.Equal(order.Order(), order);
    }

    [Fact]
    public void Converter_refuses_cells_of_other_kernels()
    {
        const string notebook = """
            { "cells": [ { "cell_type": "code", "metadata": { "polyglot_notebook": { "kernelName": "pwsh" } }, "source": ["Get-Date"] } ] }
            """;
        var error = Assert.Throws<NotSupportedException>(() => NotebookProgram.CodeCells(notebook));
        Assert.Contains("pwsh", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Notebooks_are_csharp_polyglot_notebooks_that_load_the_release_build()
    {
        var notebooks = Notebooks();
        Assert.True(notebooks.Count >= 2, $"expected the notebooks in {Path.Combine(RepositoryRoot(), "notebooks")}");
        foreach (string notebook in notebooks)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(notebook));
            var root = document.RootElement;
            Assert.Equal(4, root.GetProperty("nbformat").GetInt32());
            Assert.Equal(".net-csharp", root.GetProperty("metadata").GetProperty("kernelspec").GetProperty("name").GetString());
            Assert.Equal("C#", root.GetProperty("metadata").GetProperty("language_info").GetProperty("name").GetString());
            foreach (var cell in root.GetProperty("cells").EnumerateArray().Where(c => c.GetProperty("cell_type").GetString() == "code"))
            {
                var metadata = cell.GetProperty("metadata");
                Assert.Equal("csharp", metadata.GetProperty("dotnet_interactive").GetProperty("language").GetString());
                Assert.Equal("csharp", metadata.GetProperty("polyglot_notebook").GetProperty("kernelName").GetString());
            }
            string first = NotebookProgram.CodeCells(File.ReadAllText(notebook))[0];
            Assert.Contains("#r \"../src/Seq2Seq.Cli/bin/Release/net10.0/Seq2Seq.Core.dll\"", first, StringComparison.Ordinal);
            Assert.Contains("#r \"../src/Seq2Seq.Cli/bin/Release/net10.0/TorchSharp.dll\"", first, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_cell_that_throws_fails_the_run_and_names_the_cell()
    {
        using var work = new TempDirectory();
        string notebook = work.WriteLines("tiny.ipynb", [TinyNotebook]);

        var run = WithRunFolder(folder => Run(notebook, project: null, new Dictionary<string, string>(), folder));

        Assert.True(run.ExitCode != 0, run.ToString());
        Assert.Equal(2, run.LastCell);
        Assert.Contains("[display] string, 12 chars", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("unreachable", run.Output, StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException: broken on purpose", run.Error, StringComparison.Ordinal);
        Assert.Contains("tiny.ipynb, cell 2:line 6", run.Error, StringComparison.Ordinal); // the #line of the throwing statement
    }

    [Fact]
    public void Every_notebook_runs_from_top_to_bottom()
    {
        string core = Path.Combine(RepositoryRoot(), "src", "Seq2Seq.Core", "Seq2Seq.Core.csproj");
        using var work = new TempDirectory();
        // The walkthrough trains into SEQ2SEQ_WORK/run; the notebooks after it explore that run.
        var environment = new Dictionary<string, string> { ["SEQ2SEQ_WORK"] = work.Path, ["SEQ2SEQ_MODEL"] = work.File("run") };
        var failures = new List<string>();
        WithRunFolder(folder =>
        {
            foreach (string notebook in Notebooks())
            {
                var run = Run(notebook, core, environment, folder);
                int cells = NotebookProgram.CodeCells(File.ReadAllText(notebook)).Count;
                output.WriteLine($"{Path.GetFileName(notebook)}: exit {run.ExitCode}, {run.Elapsed.TotalSeconds:F0} s\n{run.Output}");
                if (run.ExitCode != 0 || run.LastCell != cells)
                    failures.Add($"{Path.GetFileName(notebook)} failed {(run.LastCell is { } cell ? $"in cell {cell} of {cells}" : "before its first cell")}: {run}");
            }
            // The README's library example, on the run the walkthrough trained (sharing this folder's build output).
            var example = Execute("readme-example", work.Path, environment, folder, artifacts =>
                $"#:project {core}\n#:package {NotebookProgram.Backend}\n#:property PublishAot=false\n#:property ArtifactsPath={artifacts}\n" + ReadmeLibraryExample().Replace("checkpoints/demo/model", environment["SEQ2SEQ_MODEL"], StringComparison.Ordinal));
            output.WriteLine($"README example: exit {example.ExitCode}\n{example.Output}");
            if (example.ExitCode != 0 || !example.Output.Contains("log P = ", StringComparison.Ordinal)) failures.Add($"the README's library example failed: {example}");
            return failures;
        });
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    /// <summary>One run of a notebook program; <see cref="LastCell"/> is the last cell that started.</summary>
    private sealed record NotebookRun(int ExitCode, string Output, string Error, TimeSpan Elapsed)
    {
        public int? LastCell => CellMarker().Matches(Output) is { Count: > 0 } markers ? int.Parse(markers[^1].Groups[1].Value) : null;

        public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:F0} s\n--- stdout ---\n{Tail(Output)}\n--- stderr ---\n{Tail(Error)}";

        private static string Tail(string text) => text.Length <= 20_000 ? text : "..." + text[^20_000..];
    }

    /// <summary>
    /// Runs <paramref name="action"/> with a fresh folder for notebook programs inside the repository, so that
    /// its Directory.Build.props and .targets apply to them (central package versions, and the patched copy of
    /// the native TorchSharp library), and deletes the folder afterwards.
    /// </summary>
    private static T WithRunFolder<T>(Func<string, T> action)
    {
        string folder = Path.Combine(RepositoryRoot(), "tests", "Seq2Seq.Tests", "bin", "notebook-runs", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try { return action(folder); }
        finally { DeleteQuietly(folder); }
    }

    /// <summary>
    /// Converts <paramref name="notebook"/> into a program in <paramref name="folder"/> and runs it with
    /// <c>dotnet run</c> from the notebook's folder, where the kernel would run it. Programs in one folder share
    /// their build output, so the 1.5 GB of native libtorch is copied once per folder, not once per notebook.
    /// </summary>
    private static NotebookRun Run(string notebook, string? project, IReadOnlyDictionary<string, string> environment, string folder) =>
        Execute(Path.GetFileNameWithoutExtension(notebook), Path.GetDirectoryName(notebook)!, environment, folder,
            artifacts => NotebookProgram.Convert(File.ReadAllText(notebook), Path.GetFileName(notebook), project, artifacts));

    /// <summary>Writes the program <paramref name="source"/> makes (given its artifacts folder) into <paramref name="folder"/> and runs it from <paramref name="workingDirectory"/>.</summary>
    private static NotebookRun Execute(string programKind, string workingDirectory, IReadOnlyDictionary<string, string> environment, string folder,
        Func<string, string> source)
    {
        // A unique file name also makes the SDK's cache folder for the program (<name>-<hash>) unique.
        string programName = $"{programKind}-{Guid.NewGuid():N}";
        string program = Path.Combine(folder, programName + ".cs");
        try
        {
            File.WriteAllText(program, source(Path.Combine(folder, "artifacts")));
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = workingDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
            };
            foreach (string arg in new[] { "run", "-c", Configuration, program }) start.ArgumentList.Add(arg);
            start.Environment["DOTNET_NOLOGO"] = "1";
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            // No build nodes outliving the test.
            start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
            foreach (var (name, value) in environment) start.Environment[name] = value;

            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                return new NotebookRun(-1, stdout.Result, stderr.Result + $"\n(killed after {Timeout.TotalMinutes} minutes)", clock.Elapsed);
            }
            return new NotebookRun(process.ExitCode, stdout.Result, stderr.Result, clock.Elapsed);
        }
        finally
        {
            DeleteRunfileCache(programName);
        }
    }

    /// <summary><c>dotnet run</c> keeps a file-based program's restore output in <c>dotnet/runfile/&lt;name&gt;-&lt;hash&gt;</c> under the user's local data (or temp) folder.</summary>
    private static void DeleteRunfileCache(string programName)
    {
        string[] roots =
        [
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "dotnet", "runfile"),
            Path.Combine(Path.GetTempPath(), "dotnet", "runfile"),
        ];
        foreach (string root in roots.Where(Directory.Exists))
            foreach (string cache in Directory.GetDirectories(root, programName + "-*"))
                DeleteQuietly(cache);
    }

    private static void DeleteQuietly(string directory)
    {
        try { Directory.Delete(directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>The C# block of the README's "Use as a library" section.</summary>
    private static string ReadmeLibraryExample()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        int section = readme.IndexOf("## Use as a library", StringComparison.Ordinal);
        Assert.True(section >= 0, "README.md has no 'Use as a library' section");
        int start = readme.IndexOf("```csharp\n", section, StringComparison.Ordinal) + "```csharp\n".Length;
        return readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];
    }

    private static List<string> Notebooks() =>
        [.. Directory.GetFiles(Path.Combine(RepositoryRoot(), "notebooks"), "*.ipynb", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Seq2Seq.sln"))) return directory.FullName;
        throw new InvalidOperationException($"no Seq2Seq.sln above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"^\[cell (\d+)\]$", RegexOptions.Multiline)]
    private static partial Regex CellMarker();
}
