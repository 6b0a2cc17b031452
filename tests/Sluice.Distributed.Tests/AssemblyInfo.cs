// Every test starts several sluice processes and measures takeover and wake-up times: on a small machine, tests
// running side by side would measure each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
