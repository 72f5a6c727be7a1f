namespace Seq2Seq.Training;

/// <summary>
/// Linear warm-up to the peak learning rate, then decay by a factor whenever validation has not improved
/// for a number of validations (reduce-on-plateau), never below a floor. Its state lives in <see cref="TrainingState"/>.
/// </summary>
internal sealed class LearningRateSchedule(TrainingOptions options)
{
    /// <summary>The learning rate for update <paramref name="step"/> (1-based) given the current plateau level.</summary>
    public double At(long step, double plateauRate) =>
        options.WarmupSteps > 0 && step <= options.WarmupSteps ? plateauRate * step / options.WarmupSteps : plateauRate;

    /// <summary>Records a validation; returns true when the metric improved (higher is better).</summary>
    public bool Observe(TrainingState state, double metric)
    {
        bool improved = state.BestMetric is null || metric > state.BestMetric.Value + 1e-9;
        if (improved)
        {
            state.BestMetric = metric;
            state.ValidationsWithoutImprovement = 0;
            state.ValidationsSinceDecay = 0;
            return true;
        }
        state.ValidationsWithoutImprovement++;
        state.ValidationsSinceDecay++;
        if (state.ValidationsSinceDecay >= options.DecayPatience && options.DecayFactor < 1.0)
        {
            state.LearningRate = Math.Max(options.MinLearningRate, state.LearningRate * options.DecayFactor);
            state.ValidationsSinceDecay = 0;
        }
        return false;
    }
}
