using UsageSentinel.Core.Accounting;
using UsageSentinel.Core.Catalog;

namespace UsageSentinel.Core.Behaviour;

/// <summary>
/// The per-account feature vector the <c>population_outlier</c> model is trained on and scores: scale of GPU use,
/// share of 3A090.a-class GPUs, who reaches the instances and from where, when, and how the account pays. Counts
/// are log-scaled so a few large tenants do not define the population. Filled without allocation.
/// </summary>
internal static class PopulationFeatures
{
    /// <summary>The feature names, in vector order (snake_case, as in root causes).</summary>
    public static readonly string[] Names =
    [
        "log_running_gpus", "log_peak_gpus", "log_daily_exaflop", "controlled_gpu_share",
        "log_distinct_principals", "log_distinct_ssh_keys", "log_distinct_source_asns", "log_distinct_source_countries",
        "restricted_access_share", "anonymizer_share", "duty_cycle", "activity_concentration",
        "risky_payment_share", "third_party_payment_share", "payer_mismatch_share", "log_account_age_days",
    ];

    /// <summary>Gets the vector length.</summary>
    public static int Count => Names.Length;

    /// <summary>Fills <paramref name="destination"/> with the account's features at <paramref name="nowTicks"/>.</summary>
    /// <param name="account">The account.</param>
    /// <param name="models">The loop's model table (for the export class of each model).</param>
    /// <param name="rollingFlop">The account's FLOP over the rolling window, at utilisation.</param>
    /// <param name="rollingDays">The rolling window's length in days.</param>
    /// <param name="nowTicks">Event time.</param>
    /// <param name="halfLifeTicks">Half-life of the decayed shares.</param>
    /// <param name="destination">At least <see cref="Count"/> long.</param>
    public static void Fill(AccountState account, ModelTable models, double rollingFlop, int rollingDays, long nowTicks, long halfLifeTicks, Span<float> destination)
    {
        ref readonly var compute = ref account.Compute;
        destination[0] = Log(compute.RunningGpus);
        destination[1] = Log(compute.PeakGpus);
        // A daily rate, not the window's sum: sums grow while an account is younger than the window, rates do not.
        var observedDays = Math.Clamp((nowTicks - account.FirstSeenTicks) / (double)TimeSpan.TicksPerDay, 1, rollingDays);
        destination[2] = Log(rollingFlop / observedDays / 1e18);
        destination[3] = (float)ControlledShare(compute.GpuSecondsByModel, models);

        var b = account.Behaviour;
        if (b is null)
        {
            destination[4..Count].Clear();
        }
        else
        {
            destination[4] = Log(b.Principals.Estimate(nowTicks));
            destination[5] = Log(b.SshKeys.Estimate(nowTicks));
            destination[6] = Log(b.Asns.Estimate(nowTicks));
            destination[7] = Log(b.Countries.Estimate(nowTicks));
            var access = b.Access.ValueAt(nowTicks, halfLifeTicks);
            destination[8] = Share(b.RestrictedAccess.ValueAt(nowTicks, halfLifeTicks), access);
            destination[9] = Share(b.AnonymizerAccess.ValueAt(nowTicks, halfLifeTicks), access);
            destination[10] = (float)b.ObservedDutyCycle;
            destination[11] = (float)b.ActivityPeak(0).Concentration;
            var payments = b.Payments.ValueAt(nowTicks, halfLifeTicks);
            destination[12] = Share(b.RiskyPayments.ValueAt(nowTicks, halfLifeTicks), payments);
            destination[13] = Share(b.ThirdPartyPayments.ValueAt(nowTicks, halfLifeTicks), payments);
            destination[14] = Share(b.PayerMismatchLaunches.ValueAt(nowTicks, halfLifeTicks), b.Launches.ValueAt(nowTicks, halfLifeTicks));
        }

        var created = account.CreatedAt?.UtcTicks ?? account.FirstSeenTicks;
        destination[15] = Log(Math.Max(0, nowTicks - created) / (double)TimeSpan.TicksPerDay);
    }

    /// <summary>The share of GPU-seconds on 3A090.a-class models.</summary>
    public static double ControlledShare(ReadOnlySpan<double> gpuSecondsByModel, ModelTable models)
    {
        double controlled = 0, total = 0;
        for (var m = 0; m < gpuSecondsByModel.Length; m++)
        {
            total += gpuSecondsByModel[m];
            if (models[m].ExportClass == ExportClass.Eccn3A090a)
            {
                controlled += gpuSecondsByModel[m];
            }
        }

        return total <= 0 ? 0 : controlled / total;
    }

    private static float Log(double value) => (float)Math.Log(1 + Math.Max(0, value));

    private static float Share(double part, double whole) => whole <= 0 ? 0 : (float)Math.Clamp(part / whole, 0, 1);
}
