// Hangfire.Storage.SQLite serves one server per process (its dequeue is guarded by process-wide locks): two portal
// factories running jobs at once starve each other's workers, so the test classes run one at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
