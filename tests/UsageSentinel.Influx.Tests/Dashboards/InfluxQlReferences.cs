using System.Text.RegularExpressions;
using UsageSentinel.Influx.Schema;

namespace UsageSentinel.Influx.Tests.Dashboards;

/// <summary>
/// Checks an InfluxQL query against <see cref="MetricNames.Schema"/>: every measurement after FROM exists, every
/// double-quoted identifier is a field or tag of those measurements (or an alias the query defines with AS), GROUP BY
/// and WITH KEY name tags, and <c>$tag_x</c> aliases name tags. Our dashboards quote every identifier, and the check
/// insists on it.
/// </summary>
public static partial class InfluxQlReferences
{
    /// <summary>Returns what the query references that the writer does not produce; empty when it is all known.</summary>
    public static IReadOnlyList<string> Problems(string query, string? alias = null)
    {
        var problems = new List<string>();
        var measurements = new List<MeasurementSchema>();
        foreach (Match from in FromClause().Matches(query))
        {
            var name = from.Groups["m"].Value;
            var schema = MetricNames.Schema.FirstOrDefault(s => s.Measurement == name);
            if (schema is null)
            {
                problems.Add($"unknown measurement \"{name}\"");
            }
            else
            {
                measurements.Add(schema);
            }
        }

        if (!FromAny().IsMatch(query))
        {
            problems.Add("no FROM \"measurement\"");
        }

        if (UnquotedFrom().IsMatch(query))
        {
            problems.Add("a FROM without a double-quoted measurement");
        }

        var aliases = AsAlias().Matches(query).Select(m => m.Groups["a"].Value).ToHashSet(StringComparer.Ordinal);
        var tags = measurements.SelectMany(m => m.Tags).ToHashSet(StringComparer.Ordinal);
        var known = measurements.SelectMany(m => m.Fields).Concat(tags).Concat(aliases).Concat(measurements.Select(m => m.Measurement)).ToHashSet(StringComparer.Ordinal);
        foreach (Match identifier in Quoted().Matches(StripStrings(query)))
        {
            var name = identifier.Groups["i"].Value;
            if (!known.Contains(name))
            {
                problems.Add($"\"{name}\" is not a field or tag of {string.Join(", ", measurements.Select(m => m.Measurement))}");
            }
        }

        foreach (Match groupBy in GroupBy().Matches(TimeCall().Replace(query, "time")))
        {
            foreach (Match identifier in Quoted().Matches(groupBy.Groups["g"].Value))
            {
                if (!tags.Contains(identifier.Groups["i"].Value))
                {
                    problems.Add($"GROUP BY \"{identifier.Groups["i"].Value}\" is not a tag");
                }
            }
        }

        foreach (Match key in WithKey().Matches(query))
        {
            if (!tags.Contains(key.Groups["k"].Value))
            {
                problems.Add($"WITH KEY \"{key.Groups["k"].Value}\" is not a tag");
            }
        }

        foreach (Match tag in AliasTag().Matches(alias ?? string.Empty))
        {
            if (!tags.Contains(tag.Groups["t"].Value))
            {
                problems.Add($"alias $tag_{tag.Groups["t"].Value} is not a tag");
            }
        }

        return problems;
    }

    private static string StripStrings(string query) => SingleQuoted().Replace(query, "''");

    [GeneratedRegex("""FROM\s+"(?<m>[^"]+)"(?!\s*\.)""", RegexOptions.IgnoreCase)]
    private static partial Regex FromClause();

    [GeneratedRegex("""FROM\s+[("]""", RegexOptions.IgnoreCase)]
    private static partial Regex FromAny();

    [GeneratedRegex("""FROM\s+(?![("])""", RegexOptions.IgnoreCase)]
    private static partial Regex UnquotedFrom();

    [GeneratedRegex("""\bAS\s+"(?<a>[^"]+)"\s*""", RegexOptions.IgnoreCase)]
    private static partial Regex AsAlias();

    [GeneratedRegex("\"(?<i>[^\"]+)\"")]
    private static partial Regex Quoted();

    [GeneratedRegex("'[^']*'")]
    private static partial Regex SingleQuoted();

    [GeneratedRegex("""GROUP\s+BY\s+(?<g>[^)]*?)(?=\s+fill\(|\s+ORDER|\s+LIMIT|\)|$)""", RegexOptions.IgnoreCase)]
    private static partial Regex GroupBy();

    [GeneratedRegex(@"time\([^)]*\)", RegexOptions.IgnoreCase)]
    private static partial Regex TimeCall();

    [GeneratedRegex("""WITH\s+KEY\s*=\s*"(?<k>[^"]+)"\s*""", RegexOptions.IgnoreCase)]
    private static partial Regex WithKey();

    [GeneratedRegex(@"\$tag_(?<t>[a-z_]+)")]
    private static partial Regex AliasTag();
}
