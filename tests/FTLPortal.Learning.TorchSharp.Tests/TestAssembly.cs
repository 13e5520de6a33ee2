// libtorch's thread count is process-wide state that tests set and assert: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
