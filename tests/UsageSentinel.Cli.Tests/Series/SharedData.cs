namespace UsageSentinel.Cli.Tests.Series;

/// <summary>
/// The public series in <c>shared/data</c> beside the repository: the repository is cloned as <c>&lt;x&gt;/main</c> with
/// <c>&lt;x&gt;/shared</c> next to it, so the folder is found by walking up from the test binaries.
/// </summary>
internal static class SharedData
{
    /// <summary>The <c>shared/data</c> folder; throws (failing the test, never skipping it) when it is not there.</summary>
    public static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(Path.Combine(candidate, "nab-artificial")) && Directory.Exists(Path.Combine(candidate, "helios-earth-gpu")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"The public data sets were not found: no 'shared/data' folder with 'nab-artificial' and 'helios-earth-gpu' in any parent of "
            + $"{AppContext.BaseDirectory}. Clone the repository as <x>/main with the shared folder at <x>/shared.");
    }
}
