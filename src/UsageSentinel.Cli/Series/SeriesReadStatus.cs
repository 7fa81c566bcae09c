namespace UsageSentinel.Cli.Series;

/// <summary>The outcome of reading one row of a series file.</summary>
internal enum SeriesReadStatus
{
    /// <summary>A data row was read.</summary>
    Row,

    /// <summary>The input has no more rows.</summary>
    End,

    /// <summary>The line is not a valid row; the error names it.</summary>
    Invalid,
}
