using System.Collections.Concurrent;
using Strata.Core;

namespace Strata.Server.Protocol;

/// <summary>
/// Write batches reused across requests: a batch keeps its series objects and their lists, so once the pool is
/// warm a write request allocates nothing per point for its parsed form. A batch that one huge request grew is
/// dropped rather than kept.
/// </summary>
public static class WriteBatchPool
{
    private const int MaxPooled = 32;
    private const long MaxRetainedCells = 1 << 20;

    private static readonly ConcurrentQueue<WriteBatch> Pool = new();

    public static WriteBatch Rent() => Pool.TryDequeue(out var batch) ? batch : new WriteBatch();

    /// <summary>Returns a batch no one uses any more (the engine copies what it keeps).</summary>
    public static void Return(WriteBatch batch)
    {
        batch.Clear();
        if (Pool.Count < MaxPooled && batch.RetainedCells <= MaxRetainedCells)
        {
            Pool.Enqueue(batch);
        }
    }
}
