namespace Seq2Seq.Training;

/// <summary>
/// Linear warm-up to the peak learning rate, then either decay by a factor whenever validation has not improved
/// for a number of validations (reduce-on-plateau), never below a floor, or a half cosine from the peak to the
/// floor over the run's budget. Its state lives in <see cref="TrainingState"/>.
/// </summary>
internal sealed class LearningRateSchedule(TrainingOptions options)
{
    private bool Cosine => options.Schedule == "cosine";

    /// <summary>
    /// The learning rate for update <paramref name="step"/> (1-based) given the current plateau level and the
    /// fraction of the budget used so far (0–1; only the cosine schedule reads it).
    /// </summary>
    public double At(long step, double plateauRate, double progress = 0)
    {
        double rate = plateauRate;
        if (Cosine)
        {
            double peak = options.LearningRate, floor = Math.Min(options.MinLearningRate, peak);
            rate = floor + (peak - floor) * 0.5 * (1 + Math.Cos(Math.PI * Math.Clamp(progress, 0, 1)));
        }
        return options.WarmupSteps > 0 && step <= options.WarmupSteps ? rate * step / options.WarmupSteps : rate;
    }

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
        if (!Cosine && state.ValidationsSinceDecay >= options.DecayPatience && options.DecayFactor < 1.0)
        {
            state.LearningRate = Math.Max(options.MinLearningRate, state.LearningRate * options.DecayFactor);
            state.ValidationsSinceDecay = 0;
        }
        return false;
    }
}
