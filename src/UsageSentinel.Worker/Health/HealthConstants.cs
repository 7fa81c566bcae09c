namespace UsageSentinel.Worker.Health;

/// <summary>Paths, tags and check names of the health endpoints.</summary>
public static class HealthConstants
{
    /// <summary>The liveness path: the process and its consume loop are alive.</summary>
    public const string LivePath = "/health/live";

    /// <summary>The readiness path: the consumer has partitions to work on.</summary>
    public const string ReadyPath = "/health/ready";

    /// <summary>The tag of the checks that make up liveness.</summary>
    public const string LiveTag = "live";

    /// <summary>The tag of the checks that make up readiness.</summary>
    public const string ReadyTag = "ready";

    /// <summary>The name of the consume-loop heartbeat check.</summary>
    public const string ConsumeLoopCheck = "consume_loop";

    /// <summary>The name of the partition-assignment check.</summary>
    public const string PartitionsCheck = "partitions";

    /// <summary>The value of <see cref="HealthOptions.Address"/> that means every interface.</summary>
    public const string AnyAddress = "0.0.0.0";
}
