using Seq2Seq.Tests.Support;

namespace Seq2Seq.Tests.Serving;

/// <summary>
/// The <c>serve</c> command refuses bad configuration and models with exit code 1 and one message naming the problem.
/// Configuration is checked before the model is opened, so these need no trained model.
/// </summary>
public sealed class ServeCommandTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Theory]
    [InlineData("--Serve:MaxBatchRows=0", "MaxBatchRows")]
    [InlineData("--Serve:MaxBatchRow=8", "MaxBatchRow")]
    [InlineData("--Serve:MaxWaitMilliseconds=soon", "MaxWaitMilliseconds")]
    [InlineData("--Serve:MaxBatchSourceTokens=8", "MaxBatchSourceTokens")]
    [InlineData("--Serve:MaxJoinWaitSteps=-1", "MaxJoinWaitSteps")]
    [InlineData("--Training:Seed=3", "unknown configuration section 'Training'")]
    public void Bad_configuration_is_an_input_error_naming_the_key(string setting, string named)
    {
        Directory.CreateDirectory(_directory.File("run"));
        var result = CliProcess.Run("serve", "--model", _directory.File("run"), "--urls", "http://127.0.0.1:0", "--device", "cpu", setting);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(named, result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public void A_missing_model_is_an_input_error()
    {
        var result = CliProcess.Run("serve", "--model", _directory.File("no-such-run"), "--urls", "http://127.0.0.1:0");
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("no-such-run", result.Error);
    }

    [Fact]
    public void A_model_that_fails_to_load_stops_the_service_with_an_input_error()
    {
        string broken = _directory.File("broken-run");
        Directory.CreateDirectory(broken);
        var result = CliProcess.Run("serve", "--model", broken, "--urls", "http://127.0.0.1:0", "--device", "cpu");
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("broken-run", result.Error);
    }

    public void Dispose() => _directory.Dispose();
}
