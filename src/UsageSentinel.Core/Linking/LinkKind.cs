namespace UsageSentinel.Core.Linking;

/// <summary>Identifiers that can link accounts into a group.</summary>
public enum LinkKind : byte
{
    /// <summary><c>billing.payment</c> <c>payment_method.fingerprint</c>.</summary>
    PaymentFingerprint,

    /// <summary><c>instance.launched</c> <c>ssh_key_fingerprint</c>.</summary>
    SshKey,

    /// <summary><c>account.upserted</c> <c>email_domain</c> (only while few accounts share it).</summary>
    EmailDomain,

    /// <summary><c>account.upserted</c> <c>parent_account_id</c>.</summary>
    ParentAccount,

    /// <summary><c>instance.launched</c> <c>payer_account_id</c>, when not the account itself.</summary>
    PayerAccount,

    /// <summary>The /24 (IPv4) or /48 (IPv6) network of a launch caller's source address.</summary>
    SourceNetwork,
}
