namespace Sluice.Connectors.Sample;

/// <summary>SplitMix64 keyed by (seed, stream, row, field): any row can be generated alone, identically on every run.</summary>
internal static class SampleRandom
{
    public static ulong Next(long seed, int stream, long row, int field)
    {
        var z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)stream << 48 ^ (ulong)row * 0xBF58476D1CE4E5B9UL ^ (ulong)field * 0x94D049BB133111EBUL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    public static long Between(long seed, int stream, long row, int field, long min, long max) =>
        min + (long)(Next(seed, stream, row, field) % (ulong)(max - min + 1));

    public static T Pick<T>(long seed, int stream, long row, int field, IReadOnlyList<T> items) =>
        items[(int)(Next(seed, stream, row, field) % (ulong)items.Count)];
}
