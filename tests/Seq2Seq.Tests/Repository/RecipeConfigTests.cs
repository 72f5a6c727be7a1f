using Microsoft.Extensions.Configuration;
using Seq2Seq.Model;
using Seq2Seq.Training;

namespace Seq2Seq.Tests.Repository;

/// <summary>The recipes in <c>configs/</c> bind the way <c>train --config</c> binds them: strictly, and valid.</summary>
public class RecipeConfigTests
{
    private static string Root([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", ".."));

    public static TheoryData<string> Recipes() =>
        new(Directory.GetFiles(Path.Combine(Root(), "configs"), "*.json").Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(Recipes))]
    public void Every_recipe_binds_strictly_and_validates(string recipe)
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(Root(), "configs", recipe)).Build();
        Check<DataOptions>(configuration, DataOptions.Section);
        Check<TokenizerOptions>(configuration, TokenizerOptions.Section);
        Check<ModelConfig>(configuration, "Model");
        var training = Check<TrainingOptions>(configuration, TrainingOptions.Section);
        Assert.True(training.MaxSeconds is > 0 and <= 9000, "a recipe keeps to the 150-minute budget");
    }

    private static T Check<T>(IConfiguration configuration, string section) where T : new()
    {
        var options = new T();
        configuration.GetSection(section).Bind(options, b => b.ErrorOnUnknownConfiguration = true);
        System.ComponentModel.DataAnnotations.Validator.ValidateObject(options, new System.ComponentModel.DataAnnotations.ValidationContext(options), validateAllProperties: true);
        return options;
    }
}
