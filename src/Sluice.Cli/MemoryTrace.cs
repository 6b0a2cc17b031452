using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sluice.Cli;

/// <summary>
/// With <c>SLUICE_MEMTRACE=&lt;file&gt;</c>, appends a line every 200 ms with the process's resident memory split as
/// the kernel sees it (anonymous vs file-backed) next to what the .NET GC holds, so a peak RSS can be attributed to
/// the managed heap, its large-object heap, or native allocations (Arrow C++, the runtime) without a profiler.
/// </summary>
internal static class MemoryTrace
{
    public static void StartIfRequested()
    {
        var path = Environment.GetEnvironmentVariable("SLUICE_MEMTRACE");
        if (string.IsNullOrEmpty(path))
            return;
        var thread = new Thread(() => Sample(path)) { IsBackground = true, Name = "memtrace" };
        thread.Start();
    }

    private static void Sample(string path)
    {
        using var output = new StreamWriter(path, append: true) { AutoFlush = true };
        output.WriteLine("ms rss_mb anon_mb file_mb gc_heap_mb gc_committed_mb gen0_mb gen1_mb gen2_mb loh_mb poh_mb frag_mb alloc_mb gc0 gc1 gc2 arrow_mb arrow_peak_mb malloc_used_mb malloc_free_mb malloc_mmap_mb");
        var started = Environment.TickCount64;
        long peak = 0;
        while (true)
        {
            var info = GC.GetGCMemoryInfo(GCKind.Any);
            var generations = info.GenerationInfo;
            var status = ReadStatus();
            output.WriteLine(string.Join(' ',
                (Environment.TickCount64 - started).ToString(CultureInfo.InvariantCulture),
                Mb(status.GetValueOrDefault("VmRSS")), Mb(status.GetValueOrDefault("RssAnon")), Mb(status.GetValueOrDefault("RssFile")),
                Mb(GC.GetGCMemoryInfo().HeapSizeBytes), Mb(info.TotalCommittedBytes),
                Mb(generations[0].SizeAfterBytes), Mb(generations[1].SizeAfterBytes), Mb(generations[2].SizeAfterBytes),
                Mb(generations[3].SizeAfterBytes), Mb(generations[4].SizeAfterBytes), Mb(info.FragmentedBytes),
                Mb(GC.GetTotalAllocatedBytes()),
                GC.CollectionCount(0).ToString(CultureInfo.InvariantCulture), GC.CollectionCount(1).ToString(CultureInfo.InvariantCulture),
                GC.CollectionCount(2).ToString(CultureInfo.InvariantCulture),
                ArrowPool(), Malloc()));
            // At each new peak the mappings are kept, to see which regions (GC, allocator arenas, libraries) grew.
            var rss = status.GetValueOrDefault("VmRSS");
            if (rss > peak + (4 << 20))
            {
                peak = rss;
                File.WriteAllText(path + ".smaps", File.ReadAllText("/proc/self/smaps"));
            }
            Thread.Sleep(200);
        }
    }

    /// <summary>Arrow C++'s jemalloc pool (the Parquet writer's), once the writer has loaded it.</summary>
    private static string ArrowPool() =>
        AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "ParquetSharp") ? ArrowPoolLoaded() : "- -";

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string ArrowPoolLoaded()
    {
        var pool = Sluice.Connectors.Files.ArrowMemory.Pool;
        return Mb(pool.BytesAllocated) + " " + Mb(pool.MaxMemory);
    }

    /// <summary>glibc's heap: bytes in use, free but kept, and in mmapped chunks.</summary>
    private static string Malloc()
    {
        try
        {
            var info = mallinfo2();
            return Mb((long)info.Uordblks) + " " + Mb((long)info.Fordblks) + " " + Mb((long)info.Hblkhd);
        }
        catch (EntryPointNotFoundException)
        {
            return "- - -";
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint Arena, Ordblks, Smblks, Hblks, Hblkhd, Usmblks, Fsmblks, Uordblks, Fordblks, Keepcost;
    }

    [DllImport("libc", EntryPoint = "mallinfo2")]
    private static extern MallInfo2 mallinfo2();

    /// <summary>The kB figures of /proc/self/status, in bytes.</summary>
    private static Dictionary<string, long> ReadStatus()
    {
        var values = new Dictionary<string, long>();
        if (!File.Exists("/proc/self/status"))
            return values;
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            var colon = line.IndexOf(':');
            var text = line[(colon + 1)..].Trim();
            if (colon > 0 && text.EndsWith(" kB", StringComparison.Ordinal)
                && long.TryParse(text[..^3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb))
                values[line[..colon]] = kb * 1024;
        }
        return values;
    }

    private static string Mb(long bytes) => (bytes / (1024.0 * 1024)).ToString("F1", CultureInfo.InvariantCulture);
}
