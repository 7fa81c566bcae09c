using System.ComponentModel.DataAnnotations;

namespace UsageSentinel.Core.Detectors;

/// <summary>Options of the <c>resale_proxy</c> detector (section <c>Detection:ResaleProxy</c>).</summary>
public sealed class ResaleProxyOptions
{
    /// <summary>The restricted destinations used when none are configured: the US EAR country group D:5, the embargoed countries, Hong Kong and Macau.</summary>
    public static readonly IReadOnlyList<string> DefaultRestrictedCountries =
    [
        "AF", "BY", "CD", "CF", "CN", "CU", "ER", "HK", "HT", "IQ", "IR", "KH", "KP", "LB", "LY", "MM", "MO", "NI", "RU", "SD", "SO", "SS", "SY", "VE", "ZW",
    ];

    /// <summary>Gets or sets whether the detector runs.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the restricted destinations (ISO 3166-1 alpha-2). Empty means <see cref="DefaultRestrictedCountries"/>.</summary>
    public string[] RestrictedCountries { get; set; } = [];

    /// <summary>Gets or sets the sliding window of the distinct counts.</summary>
    /// <value>The default value is 7 days.</value>
    [Range(1, 30)]
    public int WindowDays { get; set; } = 7;

    /// <summary>Gets or sets the half-life of the access shares (restricted, anonymiser, payment kinds).</summary>
    /// <value>The default value is 3 days.</value>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00")]
    public TimeSpan ShareHalfLife { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Gets or sets the evidence at which an account is alerted (medium). Each signal adds at most its weight.</summary>
    /// <value>The default value is 3.5.</value>
    [Range(0.5, 100.0)]
    public double AlertEvidence { get; set; } = 3.5;

    /// <summary>Gets or sets the evidence for high severity.</summary>
    /// <value>The default value is 5.</value>
    [Range(0.5, 100.0)]
    public double HighEvidence { get; set; } = 5;

    /// <summary>Gets or sets the evidence for critical severity.</summary>
    /// <value>The default value is 6.5.</value>
    [Range(0.5, 100.0)]
    public double CriticalEvidence { get; set; } = 6.5;

    /// <summary>Gets or sets the largest weight of one signal; below <see cref="AlertEvidence"/> so no single signal alerts on its own.</summary>
    /// <value>The default value is 1.5.</value>
    [Range(0.1, 100.0)]
    public double MaxSignalWeight { get; set; } = 1.5;

    /// <summary>Gets or sets the minimum access events in the window before access-based signals count.</summary>
    /// <value>The default value is 20.</value>
    [Range(1, 100_000)]
    public int MinAccessEvents { get; set; } = 20;

    /// <summary>Gets or sets the account age below which large GPU counts are suspicious.</summary>
    /// <value>The default value is 30 days.</value>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan YoungAccountAge { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Gets or sets the GPU count that is large for a young account.</summary>
    /// <value>The default value is 32.</value>
    [Range(1, 1_000_000)]
    public int YoungAccountGpus { get; set; } = 32;

    /// <summary>Gets the restricted destinations in effect.</summary>
    public IReadOnlyList<string> EffectiveRestrictedCountries => RestrictedCountries.Length == 0 ? DefaultRestrictedCountries : RestrictedCountries;
}
