using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Seq2Seq.Tests.Notebooks;

/// <summary>
/// Turns a Polyglot (.NET Interactive) C# notebook into a .NET 10 file-based program (<c>dotnet run file.cs</c>):
/// the code cells in order as top-level statements, so they share variables as in the notebook;
/// <c>using</c> directives hoisted to the top; <c>#r</c> and <c>#!</c> lines dropped in favour of a
/// <c>#:project</c> directive; <c>__Notebook.Cell(n);</c> before each cell so output shows how far it got; and a
/// prelude with the kernel helpers the notebooks use, <c>display</c> and <c>HTML</c>.
/// </summary>
public static partial class NotebookProgram
{
    /// <summary>
    /// What the C# kernel imports by itself. Implicit usings are switched off so that a notebook relying on
    /// the SDK's larger set (System.IO, System.Threading) fails here as it would in the kernel.
    /// </summary>
    public static readonly IReadOnlyList<string> KernelUsings =
    [
        "using System;", "using System.Collections;", "using System.Collections.Generic;", "using System.Linq;",
        "using System.Text;", "using System.Threading.Tasks;",
    ];

    private const string Prelude = """
        /// <summary>The parts of the notebook kernel the notebooks use, for a program that runs them.</summary>
        static class __Notebook
        {
            public static void Cell(int number) => Console.WriteLine($"[cell {number}]");

            /// <summary>The kernel renders the value; a test run only needs to know something was shown.</summary>
            public static void display(object? value) => Console.WriteLine(value switch
            {
                null => "[display] null",
                string text => $"[display] string, {text.Length} chars",
                _ => $"[display] {value.GetType().Name}: {Shorten(value.ToString() ?? "")}",
            });

            /// <summary>The kernel wraps the markup for rendering; here it stays the string it is.</summary>
            public static string HTML(string html) => html;

            private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "...";
        }
        """;

    /// <summary>
    /// The source of each code cell, in order. Throws <see cref="NotSupportedException"/> for a code cell of
    /// another kernel (F#, PowerShell, ...): the program could not run it, and skipping it would hide that.
    /// </summary>
    public static IReadOnlyList<string> CodeCells(string notebookJson)
    {
        using var document = JsonDocument.Parse(notebookJson);
        var cells = new List<string>();
        foreach (var cell in document.RootElement.GetProperty("cells").EnumerateArray())
        {
            if (cell.GetProperty("cell_type").GetString() != "code") continue;
            string language = Language(cell);
            if (language != "csharp")
                throw new NotSupportedException($"code cell {cells.Count + 1} is in kernel '{language}'; only C# cells can be run");
            var source = cell.GetProperty("source");
            cells.Add(source.ValueKind == JsonValueKind.Array
                ? string.Concat(source.EnumerateArray().Select(line => line.GetString()))
                : source.GetString() ?? "");
        }
        return cells;
    }

    /// <summary>
    /// The program for <paramref name="notebookJson"/>. <paramref name="name"/> names the notebook in compiler
    /// errors and stack traces (as <c>name, cell N</c>, with the line within the cell);
    /// <paramref name="project"/> is the absolute path of a project to reference (null for none), and
    /// <paramref name="artifactsPath"/> where the build output goes (null for the SDK's default).
    /// </summary>
    /// <summary>libtorch's native backend for programs that reference the library (the version comes from Directory.Packages.props).</summary>
    public const string Backend = "TorchSharp-cpu";

    public static string Convert(string notebookJson, string name, string? project, string? artifactsPath = null)
    {
        var directives = new List<string>();
        if (project is not null) directives.Add($"#:project {project}");
        // The library references managed TorchSharp only; a program picks libtorch's native backend.
        if (project is not null) directives.Add($"#:package {Backend}");
        // File-based programs default to native AOT, which turns off reflection-based JSON (the library uses it).
        directives.Add("#:property PublishAot=false");
        directives.Add("#:property ImplicitUsings=disable");
        // Notebook code is judged by what the kernel accepts, and the kernel does not stop on warnings.
        directives.Add("#:property TreatWarningsAsErrors=false");
        // The #line directives name notebook cells, not files that source embedding could read.
        directives.Add("#:property EmbedUntrackedSources=false");
        if (artifactsPath is not null) directives.Add($"#:property ArtifactsPath={artifactsPath}");

        var usings = new List<string>(KernelUsings);
        var body = new StringBuilder();
        var cells = CodeCells(notebookJson);
        for (int i = 0; i < cells.Count; i++)
        {
            int number = i + 1;
            body.Append("__Notebook.Cell(").Append(number).Append(");\n");
            body.Append("#line 1 \"").Append(name.Replace("\"", "", StringComparison.Ordinal)).Append(", cell ").Append(number).Append("\"\n");
            foreach (string line in Lines(cells[i]))
            {
                string trimmed = line.TrimStart();
                if (trimmed.StartsWith("#r", StringComparison.Ordinal) || trimmed.StartsWith("#!", StringComparison.Ordinal))
                {
                    body.Append('\n'); // keeps the line numbers of the cell
                    continue;
                }
                if (UsingDirective().IsMatch(line))
                {
                    string directive = Regex.Replace(line[..(line.IndexOf(';', StringComparison.Ordinal) + 1)].Trim(), @"\s+", " ");
                    if (!usings.Contains(directive, StringComparer.Ordinal)) usings.Add(directive);
                    body.Append('\n');
                    continue;
                }
                body.Append(line).Append('\n');
            }
            body.Append("#line default\n");
        }

        var program = new StringBuilder();
        foreach (string directive in directives) program.Append(directive).Append('\n');
        foreach (string directive in usings) program.Append(directive).Append('\n');
        program.Append("using static __Notebook;\n\n");
        program.Append(body);
        program.Append('\n').Append(Prelude).Append('\n');
        return program.ToString();
    }

    private static string Language(JsonElement cell)
    {
        if (!cell.TryGetProperty("metadata", out var metadata)) return "csharp";
        if (metadata.TryGetProperty("polyglot_notebook", out var polyglot) && polyglot.TryGetProperty("kernelName", out var kernel))
            return kernel.GetString() ?? "csharp";
        if (metadata.TryGetProperty("dotnet_interactive", out var interactive) && interactive.TryGetProperty("language", out var language))
            return language.GetString() ?? "csharp";
        return "csharp";
    }

    private static string[] Lines(string source) => source.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');

    /// <summary>
    /// <c>using N.S;</c>, <c>using static T;</c> and <c>using A = T;</c> on a line of their own; not a using
    /// statement (<c>using (x)</c>) or declaration (<c>using var x = ...;</c>).
    /// </summary>
    [GeneratedRegex(@"^\s*using\s+(static\s+)?(\w+\s*=\s*)?[A-Za-z_][\w.]*(<[\w.,\s<>]*>)?\s*;\s*(//.*)?$")]
    private static partial Regex UsingDirective();
}
