using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using UsageSentinel.Core.Anomalies;
using UsageSentinel.Webhooks.Outbox;

namespace UsageSentinel.Webhooks.Receivers;

/// <summary>The human text of an alert, shared by the receiver formats, and the length limits of their fields.</summary>
internal static class AlertText
{
    private const string Ellipsis = "…";

    /// <summary>Returns e.g. <c>[HIGH] training_scale on acct-1: Training compute …</c>, or <c>[RESOLVED] …</c>.</summary>
    public static string Title(AlertContent content) =>
        $"[{(content.IsResolved ? "RESOLVED" : content.Severity.ToWireName().ToUpperInvariant())}] {content.Detector} on {content.AccountId}: {content.Summary}";

    /// <summary>Returns the summary, score, root causes, linked accounts and dedup key, one per line.</summary>
    public static string Description(AlertContent content)
    {
        var text = new StringBuilder();
        text.Append(content.Summary).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"Score {Number(content.Score)} ({content.Severity.ToWireName()}), confidence {Number(content.Confidence)}, status {AnomalyJson.StatusName(content.Status)}, event time {AnomalyJson.FormatTime(content.EventTime)}.\n");
        if (content.RootCauses.Count > 0)
        {
            text.Append("Root causes:\n");
            foreach (var cause in content.RootCauses)
            {
                text.Append("- ").Append(RootCause(cause)).Append('\n');
            }
        }

        if (content.LinkedAccountIds.Count > 0)
        {
            text.Append("Linked accounts: ").AppendJoin(", ", content.LinkedAccountIds).Append('\n');
        }

        text.Append("Dedup key: ").Append(content.DedupKey).Append('\n');
        text.Append("Anomaly id: ").Append(content.AnomalyId);
        return text.ToString();
    }

    /// <summary>Returns e.g. <c>estimated_training_flop 2.1E+24 vs 1E+24 (60%)</c>.</summary>
    public static string RootCause(RootCause cause) =>
        string.Create(CultureInfo.InvariantCulture, $"{cause.Feature} {Number(cause.Actual)} vs {Number(cause.TypicalOrThreshold)} ({Number(cause.Contribution * 100)}%)");

    /// <summary>Formats a number for people: at most 2 decimals, exponent for large values.</summary>
    public static string Number(double value) =>
        !double.IsFinite(value) ? "n/a"
        : Math.Abs(value) >= 1e7 ? value.ToString("0.##E+0", CultureInfo.InvariantCulture)
        : value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Cuts <paramref name="text"/> to at most <paramref name="maxLength"/> characters, ending with an ellipsis when cut, never splitting a surrogate pair.</summary>
    public static string Truncate(string text, int maxLength)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }

        var keep = maxLength - Ellipsis.Length;
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }

        return string.Concat(text.AsSpan(0, keep), Ellipsis);
    }

    /// <summary>Keeps a dedup key within a receiver's limit: a longer key becomes its head plus a hash of the whole, still stable.</summary>
    public static string LimitKey(string key, int maxLength)
    {
        if (key.Length <= maxLength)
        {
            return key;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 16));
        return string.Concat(key.AsSpan(0, maxLength - hash.Length - 1), "~", hash);
    }
}
