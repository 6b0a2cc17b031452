using Npgsql;

namespace Sluice.Connectors.Postgres;

/// <summary>
/// Streams binary COPY bytes from a source connection to a destination connection without decoding them. Reading
/// and writing overlap through two alternating buffers, so the source and the destination backends both stay busy.
/// </summary>
internal static class PostgresCopyPump
{
    public const int BufferSize = 1 << 20;

    public static async Task<long> PumpAsync(NpgsqlConnection source, string copyOut, NpgsqlConnection destination, string copyIn,
        Action<long> onBytes, CancellationToken cancellationToken)
    {
        long total = 0;
        var buffers = new[] { new byte[BufferSize], new byte[BufferSize] };
        await using var input = await source.BeginRawBinaryCopyAsync(copyOut, cancellationToken);
        var output = await destination.BeginRawBinaryCopyAsync(copyIn, cancellationToken);
        try
        {
            Task pending = Task.CompletedTask;
            for (var turn = 0; ; turn ^= 1)
            {
                var read = await FillAsync(input, buffers[turn], cancellationToken);
                await pending;
                if (read == 0)
                    break;
                total += read;
                onBytes(read);
                pending = output.WriteAsync(buffers[turn].AsMemory(0, read), cancellationToken).AsTask();
            }
            await output.DisposeAsync(); // ends the COPY; the server reports bad data here
            return total;
        }
        catch
        {
            try { await output.CancelAsync(); }
            catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException) { }
            throw;
        }
    }

    /// <summary>Reads until the buffer is full or the COPY ends: fewer, larger writes to the destination.</summary>
    private static async Task<int> FillAsync(Stream input, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < buffer.Length)
        {
            var n = await input.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (n == 0)
                break;
            filled += n;
        }
        return filled;
    }
}
