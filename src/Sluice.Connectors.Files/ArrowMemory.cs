using System.Runtime.InteropServices;
using ParquetSharp;

namespace Sluice.Connectors.Files;

/// <summary>
/// The memory pool of the Parquet writer: Arrow C++'s jemalloc, configured before its first use. jemalloc reads
/// <c>JE_ARROW_MALLOC_CONF</c> from the native environment once, when it initializes (as early as the native library
/// loading, so <see cref="Pool"/> must come before any other ParquetSharp call), so the setting goes in with libc's
/// <c>setenv</c> (.NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach the native
/// environment on Unix). A value already in the environment wins, so it can still be tuned from outside.
/// </summary>
public static class ArrowMemory
{
    /// <summary>
    /// One arena and a 100 ms dirty-page decay, freed pages handed straight back to the kernel (no MADV_FREE, which
    /// leaves pages counted in RSS until the kernel wants them). Arrow's own setting (1 s decays, one arena per
    /// thread up to 4 per core) kept 100-150 MB of freed pages resident on a 5M-row sync, as the writer runs on
    /// whichever thread-pool thread the destination is on; this keeps 10-20 MB at no measurable CPU cost
    /// (bench/README.md, pg-to-parquet, parquet7).
    /// </summary>
    public const string JemallocConfig = "narenas:1,dirty_decay_ms:100,muzzy_decay_ms:0";

    private const string ConfigVariable = "JE_ARROW_MALLOC_CONF";

    private static readonly Lazy<MemoryPool> Jemalloc = new(() =>
    {
        if (!OperatingSystem.IsWindows())
            _ = setenv(ConfigVariable, JemallocConfig, overwrite: 0);
        return MemoryPool.JemallocMemoryPool();
    });

    /// <summary>The pool every Parquet writer allocates from; the first call configures jemalloc.</summary>
    public static MemoryPool Pool => Jemalloc.Value;

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
