using System.ComponentModel.DataAnnotations;

namespace UsageSentinel.Core.Linking;

/// <summary>Options of account linking and the <c>linked_accounts</c> detector (section <c>Detection:Linking</c>).</summary>
public sealed class LinkingOptions
{
    /// <summary>Gets or sets the identifiers that link accounts. Empty means <see cref="DefaultKinds"/>.</summary>
    /// <value>The default value is payment fingerprint, SSH key and payer account.</value>
    public LinkKind[] Kinds { get; set; } = [];

    /// <summary>
    /// The identifiers used when none are configured: the ones that show one operator behind several accounts.
    /// E-mail domains and declared parents are shared by the legitimate accounts of one organisation, and source
    /// networks by strangers behind carrier NAT or cloud egress, so they do not link by default.
    /// </summary>
    public static readonly IReadOnlyList<LinkKind> DefaultKinds = [LinkKind.PaymentFingerprint, LinkKind.SshKey, LinkKind.PayerAccount];

    /// <summary>Gets or sets how many accounts may share an identifier before it counts as common (e.g. a webmail domain) and stops linking.</summary>
    /// <value>The default value is 8.</value>
    [Range(2, 1_000)]
    public int MaxAccountsPerIdentifier { get; set; } = 8;

    /// <summary>Gets or sets the largest group; unions beyond it are not made.</summary>
    /// <value>The default value is 64.</value>
    [Range(2, 10_000)]
    public int MaxGroupSize { get; set; } = 64;

    /// <summary>Gets or sets the most identifiers remembered per engine, to bound memory.</summary>
    /// <value>The default value is 2,000,000.</value>
    [Range(1_000, 100_000_000)]
    public int MaxIdentifiers { get; set; } = 2_000_000;

    /// <summary>Gets the identifiers in effect.</summary>
    public IReadOnlyList<LinkKind> EffectiveKinds => Kinds.Length == 0 ? DefaultKinds : Kinds;
}
