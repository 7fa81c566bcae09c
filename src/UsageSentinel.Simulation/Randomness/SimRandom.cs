namespace UsageSentinel.Simulation.Randomness;

/// <summary>
/// A small seeded PRNG (xoshiro256**, seeded through SplitMix64). Unlike <c>System.Random</c> its sequence is
/// fixed by this code alone, so simulated output never changes with the runtime. Not for security.
/// </summary>
internal sealed class SimRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    private SimRandom(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    /// <summary>Creates the stream <paramref name="stream"/> of the thing numbered <paramref name="slot"/> under <paramref name="seed"/>.</summary>
    public static SimRandom Create(int seed, long slot, long stream)
    {
        unchecked
        {
            ulong key = Mix((ulong)(uint)seed + 0x9E3779B97F4A7C15UL);
            key = Mix(key ^ ((ulong)slot * 0xD1B54A32D192ED03UL));
            key = Mix(key ^ ((ulong)stream * 0x8CB92BA72F3D8DD7UL));
            return new SimRandom(key);
        }
    }

    /// <summary>The SplitMix64 finaliser: a strong 64-bit mix.</summary>
    public static ulong Mix(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    public ulong NextUInt64()
    {
        unchecked
        {
            ulong result = RotateLeft(_s1 * 5, 7) * 9;
            ulong t = _s1 << 17;
            _s2 ^= _s0;
            _s3 ^= _s1;
            _s1 ^= _s2;
            _s0 ^= _s3;
            _s2 ^= t;
            _s3 = RotateLeft(_s3, 45);
            return result;
        }
    }

    /// <summary>A double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>An integer in [0, <paramref name="maxExclusive"/>).</summary>
    public int Below(int maxExclusive)
    {
        if (maxExclusive <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, "Must be positive.");
        }

        return (int)(((NextUInt64() >> 32) * (ulong)maxExclusive) >> 32);
    }

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>], both inclusive.</summary>
    public int Between(int min, int max) => min + Below(max - min + 1);

    /// <summary>A double in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double Between(double min, double max) => min + ((max - min) * NextDouble());

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>] skewed towards <paramref name="min"/>.</summary>
    public int Skewed(int min, int max)
    {
        double u = NextDouble();
        return min + (int)Math.Floor(u * u * (max - min + 1));
    }

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Below(items.Count)];

    /// <summary>Picks an index with the given relative weights.</summary>
    public int PickWeighted(ReadOnlySpan<double> weights)
    {
        double total = 0;
        foreach (double w in weights)
        {
            total += w;
        }

        double x = NextDouble() * total;
        for (int i = 0; i < weights.Length; i++)
        {
            x -= weights[i];
            if (x < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }

    /// <summary>Lower-case hexadecimal digits.</summary>
    public string Hex(int length) => string.Create(length, this, static (span, random) =>
    {
        const string Digits = "0123456789abcdef";
        ulong bits = 0;
        for (int i = 0; i < span.Length; i++)
        {
            if (i % 16 == 0)
            {
                bits = random.NextUInt64();
            }

            span[i] = Digits[(int)(bits & 0xF)];
            bits >>= 4;
        }
    });

    /// <summary>Decimal digits.</summary>
    public string Digits(int length) => string.Create(length, this, static (span, random) =>
    {
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = (char)('0' + random.Below(10));
        }
    });

    public void NextBytes(Span<byte> buffer)
    {
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = (byte)(NextUInt64() >> 56);
        }
    }

    /// <summary>A Poisson-distributed count (Knuth; meant for small means).</summary>
    public int Poisson(double mean)
    {
        double limit = Math.Exp(-mean);
        double product = NextDouble();
        int count = 0;
        while (product > limit)
        {
            count++;
            product *= NextDouble();
        }

        return count;
    }

    private static ulong SplitMix(ref ulong state)
    {
        unchecked
        {
            state += 0x9E3779B97F4A7C15UL;
            return Mix(state);
        }
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
