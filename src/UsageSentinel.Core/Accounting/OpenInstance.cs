namespace UsageSentinel.Core.Accounting;

/// <summary>A launched instance that has not been terminated yet; held by value in its account's <see cref="OpenInstanceSet"/>.</summary>
internal readonly struct OpenInstance
{
    public required string InstanceId { get; init; }

    public required int ModelIndex { get; init; }

    public required int Gpus { get; init; }

    public required double PeakFlopsPerGpu { get; init; }

    public required long LaunchedTicks { get; init; }

    public required ComputeRun Run { get; init; }
}
