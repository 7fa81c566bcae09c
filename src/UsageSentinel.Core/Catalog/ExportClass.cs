namespace UsageSentinel.Core.Catalog;

/// <summary>Export control classification of a GPU model under ECCN 3A090 (US EAR, October 2023 rules).</summary>
public enum ExportClass : byte
{
    /// <summary>Below the 3A090.a thresholds.</summary>
    NotControlled,

    /// <summary>3A090.a: TPP ≥ 4,800, or TPP ≥ 1,600 with performance density ≥ 5.92.</summary>
    Eccn3A090a,
}
