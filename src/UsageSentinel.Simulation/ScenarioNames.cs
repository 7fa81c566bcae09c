namespace UsageSentinel.Simulation;

/// <summary>The scenario names used in <see cref="ScenarioLabel.Scenario"/>.</summary>
public static class ScenarioNames
{
    /// <summary>Benign: bursty multi-node jobs of a research group.</summary>
    public const string ResearchLab = "research_lab";

    /// <summary>Benign: an inference fleet following a diurnal cycle.</summary>
    public const string SteadyInference = "steady_inference";

    /// <summary>Benign: a fixed reserved fleet running around the clock.</summary>
    public const string EnterpriseReserved = "enterprise_reserved";

    /// <summary>Benign: one or two spot GPUs on evenings and weekends.</summary>
    public const string HobbyistSpot = "hobbyist_spot";

    /// <summary>Benign: an allowlisted, verified lab training at scale.</summary>
    public const string VerifiedAiLab = "verified_ai_lab";

    /// <summary>Abusive: GPU capacity resold to restricted parties through a transit-hub account.</summary>
    public const string IntermediaryResale = "intermediary_resale";

    /// <summary>Abusive: an unverified account training at restricted scale.</summary>
    public const string RestrictedTraining = "restricted_training";

    /// <summary>Abusive: linked accounts splitting a training run below the per-account tiers.</summary>
    public const string Structuring = "structuring";

    /// <summary>Abusive: a hijacked small account suddenly launching a large fleet.</summary>
    public const string CompromiseSpike = "compromise_spike";
}
