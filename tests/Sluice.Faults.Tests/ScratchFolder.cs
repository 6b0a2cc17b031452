namespace Sluice.Faults.Tests;

/// <summary>
/// A fresh folder under the system temp dir for one scenario (metadata, SQLite/DuckDB files), deleted once the
/// faults collection has run (<see cref="FaultsCollection"/>'s fixture), so that CI machines and long dev sessions do
/// not collect hundreds of them.
/// </summary>
internal static class ScratchFolder
{
    private static readonly List<string> Created = [];

    public static string Create(string prefix)
    {
        var dir = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        lock (Created)
            Created.Add(dir);
        return dir;
    }

    public static void DeleteAll()
    {
        lock (Created)
        {
            foreach (var dir in Created)
            {
                try
                {
                    Directory.Delete(dir, recursive: true);
                }
                catch (IOException)
                {
                    // A file still open by a process the test left behind: leave the folder.
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
            Created.Clear();
        }
    }
}

/// <summary>Deletes the scratch folders after the last test of the faults collection.</summary>
public sealed class ScratchFolderCleanup : IDisposable
{
    public void Dispose() => ScratchFolder.DeleteAll();
}
