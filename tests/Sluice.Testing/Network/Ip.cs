namespace Sluice.Testing.Network;

/// <summary>Runs iproute2's <c>ip</c>; every call the network fixture makes goes through here.</summary>
internal static class Ip
{
    public static Task<string> RunAsync(params string[] args) => ProcessRunner.RunAsync("ip", args, timeout: TimeSpan.FromSeconds(30));

    /// <summary>For cleanup: an object that is already gone is not an error.</summary>
    public static async Task TryAsync(params string[] args)
    {
        try
        {
            await RunAsync(args);
        }
        catch (InvalidOperationException)
        {
        }
        catch (TimeoutException)
        {
        }
    }
}
