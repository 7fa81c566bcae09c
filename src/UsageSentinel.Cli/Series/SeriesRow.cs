namespace UsageSentinel.Cli.Series;

/// <summary>One data row of a series file. The spans point into the reader's buffer and are valid until its next read.</summary>
internal readonly ref struct SeriesRow
{
    public SeriesRow(int line, ReadOnlySpan<byte> timestampText, ReadOnlySpan<byte> valueText, DateTime timestamp, double value)
    {
        Line = line;
        TimestampText = timestampText;
        ValueText = valueText;
        Timestamp = timestamp;
        Value = value;
    }

    /// <summary>Gets the 1-based line number in the file.</summary>
    public int Line { get; }

    /// <summary>Gets the timestamp as written.</summary>
    public ReadOnlySpan<byte> TimestampText { get; }

    /// <summary>Gets the value as written.</summary>
    public ReadOnlySpan<byte> ValueText { get; }

    /// <summary>Gets the timestamp's wall-clock time.</summary>
    public DateTime Timestamp { get; }

    /// <summary>Gets the value.</summary>
    public double Value { get; }
}
