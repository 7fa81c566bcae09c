using System.ComponentModel.DataAnnotations;

namespace UsageSentinel.Influx.Configuration;

/// <summary>
/// Where and how metrics are written (section <c>Metrics</c>). <see cref="Token"/> and <see cref="Password"/> are
/// secrets: set them through environment variables (<c>USAGESENTINEL__Metrics__Token</c>), never in appsettings.json;
/// they are never logged or shown in validation messages.
/// </summary>
public sealed class InfluxOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Metrics";

    /// <summary>Gets or sets the mode: <c>Disabled</c>, <c>V2</c> (InfluxDB 2.x API) or <c>V1</c> (InfluxDB 1.x <c>/write</c>).</summary>
    /// <value>The default value is <see cref="MetricsMode.Disabled"/>.</value>
    public MetricsMode Mode { get; set; } = MetricsMode.Disabled;

    /// <summary>Gets or sets the server's base URL, e.g. <c>http://influxdb:8086</c>; no credentials in it.</summary>
    public string Url { get; set; } = string.Empty;

    /// <summary>Gets or sets the organisation (V2).</summary>
    public string Org { get; set; } = string.Empty;

    /// <summary>Gets or sets the bucket (V2).</summary>
    public string Bucket { get; set; } = string.Empty;

    /// <summary>Gets or sets the API token (V2). A secret.</summary>
    public string Token { get; set; } = string.Empty;

    /// <summary>Gets or sets the database (V1).</summary>
    public string Database { get; set; } = string.Empty;

    /// <summary>Gets or sets the retention policy (V1); empty means the database's default.</summary>
    public string RetentionPolicy { get; set; } = string.Empty;

    /// <summary>Gets or sets the user name (V1); empty means no authentication.</summary>
    public string Username { get; set; } = string.Empty;

    /// <summary>Gets or sets the password (V1). A secret.</summary>
    public string Password { get; set; } = string.Empty;

    /// <summary>Gets or sets the most points sent in one request; a full batch is sent without waiting for <see cref="FlushInterval"/>.</summary>
    /// <value>The default value is 1000 points.</value>
    [Range(1, 100_000, ErrorMessage = "Metrics:BatchSize must be between {1} and {2} points.")]
    public int BatchSize { get; set; } = 1_000;

    /// <summary>Gets or sets how long points may wait in the buffer before they are sent.</summary>
    /// <value>The default value is 5 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00", ErrorMessage = "Metrics:FlushInterval must be between {1} and {2}.")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the most points kept while the server is unreachable; beyond it the oldest are dropped and counted.</summary>
    /// <value>The default value is 100,000 points.</value>
    [Range(1, 10_000_000, ErrorMessage = "Metrics:BufferCapacity must be between {1} and {2} points.")]
    public int BufferCapacity { get; set; } = 100_000;

    /// <summary>Gets or sets the timeout of one write request.</summary>
    /// <value>The default value is 10 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00", ErrorMessage = "Metrics:Timeout must be between {1} and {2}.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the first delay before a failed batch is retried; it doubles per failure, with jitter.</summary>
    /// <value>The default value is 1 second.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00", ErrorMessage = "Metrics:RetryInitialDelay must be between {1} and {2}.")]
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest delay between retries.</summary>
    /// <value>The default value is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ErrorMessage = "Metrics:RetryMaxDelay must be between {1} and {2}.")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the most distinct accounts written with an <c>account_id</c> tag (the account drill-down). Samples of
    /// further accounts are skipped and counted, so series cardinality stays bounded.
    /// </summary>
    /// <value>The default value is 20,000 accounts.</value>
    [Range(1, 1_000_000, ErrorMessage = "Metrics:MaxAccounts must be between {1} and {2}.")]
    public int MaxAccounts { get; set; } = 20_000;

    /// <summary>Gets or sets the most distinct <c>gpu_model</c> tag values; further models are written as <c>other</c>.</summary>
    /// <value>The default value is 256 models.</value>
    [Range(1, 10_000, ErrorMessage = "Metrics:MaxGpuModels must be between {1} and {2}.")]
    public int MaxGpuModels { get; set; } = 256;

    /// <summary>Gets or sets the <c>worker</c> tag of the health measurements: this instance's name.</summary>
    /// <value>The default value is empty, meaning the machine (container) name.</value>
    [MaxLength(128, ErrorMessage = "Metrics:WorkerTag must be at most {1} characters.")]
    public string WorkerTag { get; set; } = string.Empty;

    /// <summary>Gets the <c>worker</c> tag in effect: <see cref="WorkerTag"/> or the machine name.</summary>
    public string EffectiveWorkerTag => string.IsNullOrWhiteSpace(WorkerTag) ? Environment.MachineName : WorkerTag.Trim();
}
