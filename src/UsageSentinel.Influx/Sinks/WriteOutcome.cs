namespace UsageSentinel.Influx.Sinks;

/// <summary>What became of one batch: written, failed (retry later), or rejected as invalid (retrying cannot help).</summary>
/// <param name="Kind">The result.</param>
/// <param name="Reason">Why it was not written; never contains credentials.</param>
internal readonly record struct WriteOutcome(WriteOutcomeKind Kind, string Reason)
{
    public static WriteOutcome Written { get; } = new(WriteOutcomeKind.Written, string.Empty);

    public static WriteOutcome Failed(string reason) => new(WriteOutcomeKind.Failed, reason);

    public static WriteOutcome Rejected(string reason) => new(WriteOutcomeKind.Rejected, reason);

    /// <summary>
    /// Sorts an HTTP status: 400 (bad line protocol, field type conflict), 413 (too large) and 422 (outside retention)
    /// reject the points themselves; anything else (401/403 credentials, 404 missing database or bucket, 5xx) may be
    /// fixed on the server, so the batch is kept and retried.
    /// </summary>
    public static WriteOutcome ForStatus(int status, string reason) =>
        status is 400 or 413 or 422 ? Rejected($"HTTP {status}: {reason}") : Failed($"HTTP {status}: {reason}");
}
