namespace Seq2Seq.Tests.Inspection;

/// <summary>A fresh folder under the system temp directory for one test, deleted when disposed.</summary>
public sealed class InspectionTempFolder : IDisposable
{
    public InspectionTempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "seq2seq-inspection-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
