using System.Globalization;
using System.Text;
using UsageSentinel.Core.Accounting;
using UsageSentinel.Core.Catalog;
using UsageSentinel.Core.Engine;

namespace UsageSentinel.Core.State;

/// <summary>
/// Renders one account's encoded state (<see cref="AccountStateCodec"/>) for people: what <c>usage-sentinel state
/// inspect</c> prints. Figures are as of the state's last accrual; nothing is advanced to the present.
/// </summary>
public static class AccountStateText
{
    /// <summary>Decodes and renders an account's state.</summary>
    /// <param name="data">The encoded state.</param>
    /// <param name="catalog">The GPU catalog (for model names and export classes).</param>
    /// <param name="options">Detection options (window lengths, utilisation).</param>
    /// <returns>Lines of <c>name: value</c>, grouped under headings.</returns>
    /// <exception cref="InvalidDataException">The bytes are not a valid account state.</exception>
    public static string Describe(ReadOnlySpan<byte> data, GpuCatalog catalog, DetectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        var models = new ModelTable(catalog);
        var state = AccountStateCodec.Read(data, models, options);
        var text = new StringBuilder();
        var utilization = options.TrainingScale.Utilization;
        ref readonly var compute = ref state.Compute;
        var at = compute.AccruedUntilTicks;
        Line(text, "account", state.AccountId);
        Line(text, "encoded_bytes", data.Length);
        Line(text, "first_seen", Time(state.FirstSeenTicks));
        Line(text, "last_event", Time(state.LastEventTicks));
        Line(text, "profile", $"declared_country={state.DeclaredCountry ?? "-"} kyc={state.KycStatus ?? "-"} entity={state.EntityType ?? "-"} created={state.CreatedAt?.ToString("o", CultureInfo.InvariantCulture) ?? "-"} allowlisted={state.Allowlisted}");

        text.AppendLine().AppendLine("[compute]");
        Line(text, "accrued_until", Time(at));
        Line(text, "gpu_hours", compute.GpuSeconds / 3600);
        for (var m = 0; m < compute.GpuSecondsByModel.Length; m++)
        {
            if (compute.GpuSecondsByModel[m] > 0)
            {
                Line(text, $"gpu_hours.{models[m].Name}", compute.GpuSecondsByModel[m] / 3600);
            }
        }

        Line(text, "estimated_training_flop_total", compute.PeakFlop * utilization);
        Line(text, $"estimated_training_flop_{state.RollingDays}d", at == long.MinValue ? 0 : state.DailySum(at) * utilization);
        Line(text, "running_gpus", compute.RunningGpus);
        Line(text, "peak_gpus", compute.PeakGpus);
        Line(text, "open_instances", state.OpenInstances.Count);
        Line(text, "orphan_terminations", state.OrphanTerminationsIfAny?.Count ?? 0);

        text.AppendLine().AppendLine("[runs]");
        foreach (var run in state.RunsIfAny ?? [])
        {
            Line(text, run.Key, string.Create(
                CultureInfo.InvariantCulture,
                $"region={run.Region} started={Time(run.StartTicks)} ended={Time(run.EndedTicks)} open_instances={run.OpenInstances} gpu_hours={run.Compute.GpuSeconds / 3600:0.###} estimated_training_flop={run.Compute.PeakFlop * utilization:0.###e+00} incident_open={run.IncidentOpen}"));
        }

        text.AppendLine().AppendLine("[incidents]");
        Line(text, "training_scale_rolling_open", state.RollingIncidentOpen);
        Line(text, "resale_proxy_open", state.ResaleIncidentOpen);
        Line(text, "resale_evidence", state.ResaleEvidence);
        Line(text, "usage_deviation_open", state.Usage?.UsageIncidentOpen ?? false);
        if (state.Behaviour is { } behaviour)
        {
            var now = state.LastEventTicks;
            text.AppendLine().AppendLine("[behaviour]");
            Line(text, "distinct_principals", behaviour.Principals.Estimate(now));
            Line(text, "distinct_ssh_keys", behaviour.SshKeys.Estimate(now));
            Line(text, "distinct_asns", behaviour.Asns.Estimate(now));
            Line(text, "distinct_countries", behaviour.Countries.Estimate(now));
            Line(text, "distinct_payment_fingerprints", behaviour.PaymentFingerprints.Estimate(now));
            Line(text, "regions_seen", behaviour.Regions.Count);
            Line(text, "gpu_models_seen", behaviour.GpuModels.Count);
            Line(text, "source_countries_seen", behaviour.SourceCountries.Count);
            Line(text, "principals_seen", behaviour.KnownPrincipals.Count);
            Line(text, "declared_reseller", behaviour.DeclaredReseller);
            Line(text, "new_region_at", Time(behaviour.NewRegionTicks));
            Line(text, "new_gpu_model_at", Time(behaviour.NewGpuModelTicks));
            Line(text, "new_source_country_at", Time(behaviour.NewSourceCountryTicks));
            Line(text, "new_principal_at", Time(behaviour.NewPrincipalTicks));
        }

        if (state.Inputs is { Count: > 0 } inputs)
        {
            text.AppendLine().AppendLine("[input]");
            foreach (var track in inputs.OrderBy(t => t.Stream))
            {
                Line(text, $"stream {track.Stream:x16}", $"highest_offset={track.MaxOffered} not_yet_applied={track.Missing.Count + track.Buffered.Count}");
            }
        }

        return text.ToString();
    }

    private static void Line(StringBuilder text, string name, object value) =>
        text.Append(name).Append(": ").AppendLine(value switch
        {
            double d => d.ToString(Math.Abs(d) >= 1e9 ? "0.###e+00" : "0.###", CultureInfo.InvariantCulture),
            bool b => b ? "yes" : "no",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        });

    private static string Time(long ticks) =>
        ticks == long.MinValue ? "-" : new DateTimeOffset(ticks, TimeSpan.Zero).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
