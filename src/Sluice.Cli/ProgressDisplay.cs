using Sluice.Core.Model;
using Spectre.Console;

namespace Sluice.Cli;

/// <summary>Shows a running sync's rows, MB/s and elapsed time: a live line on a terminal, a line every few seconds otherwise.</summary>
public static class ProgressDisplay
{
    public static async Task<T> RunAsync<T>(string title, Func<Action<SyncStats>, Task<T>> run)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
        {
            var last = DateTime.MinValue;
            return await run(stats =>
            {
                if (DateTime.UtcNow - last < TimeSpan.FromSeconds(2))
                    return;
                last = DateTime.UtcNow;
                Console.WriteLine($"{title}: {Describe(stats)}");
            });
        }
        T value = default!;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new SpinnerColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(title, maxValue: 1);
                task.IsIndeterminate = true;
                value = await run(stats => task.Description = $"{Markup.Escape(title)}: {Describe(stats)}");
                task.Value = 1;
                task.StopTask();
            });
        return value;
    }

    public static string Describe(SyncStats s) =>
        $"{s.RecordsRead:N0} rows, {s.BytesRead / 1_048_576.0:F1} MB, {s.MegabytesPerSecond:F1} MB/s, {s.ElapsedSeconds:F0} s, {s.RecordsCommitted:N0} committed";
}
