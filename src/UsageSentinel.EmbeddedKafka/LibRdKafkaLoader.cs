using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace UsageSentinel.EmbeddedKafka;

/// <summary>
/// Resolves <see cref="LibraryName"/> for this assembly's imports to the librdkafka file that
/// Confluent.Kafka uses in this process, so the mock cluster and the clients share one native
/// library instance.
/// </summary>
/// <remarks>
/// <para>
/// librdkafka.redist ships several Linux builds. The default <c>librdkafka.so</c> needs
/// <c>libsasl2.so.3</c>, which Debian 12 lacks; Confluent.Kafka then falls back to
/// <c>centos8-librdkafka.so</c> (and uses <c>alpine-librdkafka.so</c> on Alpine).
/// </para>
/// <para>
/// Confluent.Kafka is asked to load its library first. On Linux the file it mapped is read back
/// from <c>/proc/self/maps</c> and loaded again, which hands back the same instance. Elsewhere, or
/// when that finds nothing, the candidates are probed in Confluent.Kafka's order: file names
/// first, then the host's native search directories, the app base directory and
/// <c>runtimes/&lt;rid&gt;/native</c>.
/// </para>
/// </remarks>
internal static class LibRdKafkaLoader
{
    /// <summary>The name this assembly's imports use; the resolver maps it to a file.</summary>
    internal const string LibraryName = "librdkafka";

    /// <summary>An export only builds with the mock cluster have.</summary>
    private const string RequiredExport = "rd_kafka_mock_cluster_new";

    private static readonly Lock Gate = new();
    private static readonly Lazy<(nint Handle, string Path)> Library = new(Load);
    private static bool IsRegistered;

    /// <summary>Full path of the loaded librdkafka file; loads it on first use.</summary>
    internal static string LoadedPath => Library.Value.Path;

    /// <summary>Installs the import resolver for this assembly; safe to call more than once.</summary>
    internal static void Register()
    {
        lock (Gate)
        {
            if (IsRegistered)
            {
                return;
            }

            NativeLibrary.SetDllImportResolver(typeof(LibRdKafkaLoader).Assembly, Resolve);
            IsRegistered = true;
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        string.Equals(libraryName, LibraryName, StringComparison.Ordinal) ? Library.Value.Handle : 0;

    private static (nint Handle, string Path) Load()
    {
        EnsureConfluentLoaded();

        var fileNames = CandidateFileNames();
        var failures = new StringBuilder();

        foreach (var path in MappedByProcess(fileNames).Concat(CandidatePaths(fileNames)))
        {
            if (!File.Exists(path))
            {
                continue;
            }

            try
            {
                var handle = NativeLibrary.Load(path);
                if (NativeLibrary.TryGetExport(handle, RequiredExport, out _))
                {
                    return (handle, path);
                }

                NativeLibrary.Free(handle);
                failures.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}  {path}: no {RequiredExport} export");
            }
            catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
            {
                failures.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}  {path}: {ex.Message}");
            }
        }

        if (failures.Length == 0)
        {
            failures.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}  no file named {string.Join(" or ", fileNames)} in:");
            foreach (var directory in CandidateDirectories())
            {
                failures.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}    {directory}");
            }
        }

        throw new DllNotFoundException(
            $"Could not load librdkafka with the mock cluster API (package librdkafka.redist). Tried:{failures}");
    }

    /// <summary>
    /// Lets Confluent.Kafka pick and load its librdkafka build, so the file it chose is mapped.
    /// When it cannot, probing below reports what is missing.
    /// </summary>
    private static void EnsureConfluentLoaded()
    {
        try
        {
            _ = Confluent.Kafka.Library.Version;
        }
        catch (DllNotFoundException)
        {
            // Confluent.Kafka found no usable build either; the probe below lists what was tried.
        }
    }

    private static string[] CandidateFileNames()
    {
        if (OperatingSystem.IsWindows())
        {
            return ["librdkafka.dll"];
        }

        if (OperatingSystem.IsMacOS())
        {
            return ["librdkafka.dylib"];
        }

        return File.Exists("/etc/alpine-release")
            ? ["alpine-librdkafka.so", "librdkafka.so"]
            : ["librdkafka.so", "centos8-librdkafka.so"];
    }

    /// <summary>Files with one of <paramref name="fileNames"/> already mapped into this process (Linux).</summary>
    private static List<string> MappedByProcess(string[] fileNames)
    {
        const string MapsPath = "/proc/self/maps";
        var mapped = new List<string>();
        if (!OperatingSystem.IsLinux() || !File.Exists(MapsPath))
        {
            return mapped;
        }

        foreach (var line in File.ReadLines(MapsPath))
        {
            // address perms offset dev inode pathname; the path itself may contain spaces.
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 6
                && fileNames.Contains(Path.GetFileName(fields[5]), StringComparer.Ordinal)
                && !mapped.Contains(fields[5], StringComparer.Ordinal))
            {
                mapped.Add(fields[5]);
            }
        }

        return mapped;
    }

    private static IEnumerable<string> CandidatePaths(string[] fileNames) =>
        fileNames.SelectMany(_ => CandidateDirectories(), static (name, directory) => Path.Combine(directory, name));

    private static IEnumerable<string> CandidateDirectories()
    {
        var searchDirectories = AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") as string ?? string.Empty;
        var runtimeIdentifier = $"{OperatingSystemMoniker()}-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}";

        return searchDirectories
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Append(AppContext.BaseDirectory)
            .Append(Path.Combine(AppContext.BaseDirectory, "runtimes", runtimeIdentifier, "native"))
            .Select(static directory => Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)))
            .Distinct(StringComparer.Ordinal);
    }

    private static string OperatingSystemMoniker() =>
        OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
}
