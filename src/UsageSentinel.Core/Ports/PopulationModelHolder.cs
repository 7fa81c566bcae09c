using System.Diagnostics.CodeAnalysis;

namespace UsageSentinel.Core.Ports;

/// <summary>
/// Holds the current <see cref="IPopulationModel"/> for all detection loops. A trainer publishes a new model with
/// <see cref="Publish"/>; each loop polls <see cref="TryGetNewer"/> (no lock, no allocation) and creates a new scorer
/// when the version has moved on. The model and its version are swapped together, so a reader never sees a version
/// with another version's model.
/// </summary>
/// <example>
/// <code>
/// if (holder.TryGetNewer(_modelVersion, out var model, out var version))
/// {
///     _scorer = model.CreateScorer();
///     _modelVersion = version;
/// }
/// </code>
/// </example>
public sealed class PopulationModelHolder
{
    private Entry? _current;

    /// <summary>Gets the version of the current model: 0 before the first <see cref="Publish"/>, then 1, 2, ….</summary>
    public long Version => Volatile.Read(ref _current)?.Version ?? 0;

    /// <summary>Gets the current model, or <see langword="null"/> before the first <see cref="Publish"/>.</summary>
    public IPopulationModel? Current => Volatile.Read(ref _current)?.Model;

    /// <summary>Makes a model the current one. Safe to call from any thread.</summary>
    /// <param name="model">The new model.</param>
    /// <returns>The new model's version, one above the previous one.</returns>
    public long Publish(IPopulationModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        while (true)
        {
            var seen = Volatile.Read(ref _current);
            var next = new Entry(model, (seen?.Version ?? 0) + 1);
            if (ReferenceEquals(Interlocked.CompareExchange(ref _current, next, seen), seen))
            {
                return next.Version;
            }
        }
    }

    /// <summary>Gets the current model if its version differs from the one the caller already has.</summary>
    /// <param name="knownVersion">The version the caller holds; 0 for none.</param>
    /// <param name="model">The current model when the result is <see langword="true"/>.</param>
    /// <param name="version">The current model's version when the result is <see langword="true"/>, else <paramref name="knownVersion"/>.</param>
    /// <returns><see langword="true"/> when there is a model other than version <paramref name="knownVersion"/>.</returns>
    public bool TryGetNewer(long knownVersion, [NotNullWhen(true)] out IPopulationModel? model, out long version)
    {
        var entry = Volatile.Read(ref _current);
        if (entry is null || entry.Version == knownVersion)
        {
            model = null;
            version = knownVersion;
            return false;
        }

        model = entry.Model;
        version = entry.Version;
        return true;
    }

    private sealed record Entry(IPopulationModel Model, long Version);
}
