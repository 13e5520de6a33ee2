// Hangfire.Storage.SQLite serves one server per process (its dequeue is guarded by process-wide locks): two test hosts
// running jobs at once starve each other's workers. The embedded default has one host per process, so tests run one at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
