using Strata.Core;
using Strata.Storage.Memtable;

namespace Strata.Storage.Tests.Memtable;

/// <summary>A memtable's memory lives as long as its last reference, and never past it.</summary>
public class MemtableTests
{
    private static SeriesPoints Points(int count)
    {
        var points = new SeriesPoints("cpu", ["v"]);
        for (var i = 0; i < count; i++)
        {
            points.Times.Add(i * 10L);
            points.Seqs.Add(i + 1);
            points.ClientSeq.Add(false);
            points.Values.Add(FieldValue.FromDouble(i));
        }

        return points;
    }

    private static Strata.Storage.Memtable.Memtable Filled(int count)
    {
        var memtable = new Strata.Storage.Memtable.Memtable();
        var appender = new MemtableAppender();
        try
        {
            appender.Append(memtable, 1, Points(count), 0, count);
        }
        finally
        {
            appender.Dispose();
        }

        return memtable;
    }

    [Fact]
    public void AnExtraReference_KeepsTheEntriesReadableAfterTheOwnerReleases()
    {
        var memtable = Filled(5000);
        memtable.ReservedBytes.ShouldBeGreaterThan(0);
        memtable.TryAddReference().ShouldBeTrue();
        memtable.Release();

        var data = new ColumnData();
        memtable.CopyColumn(1, "v", long.MinValue, long.MaxValue, data).ShouldBeTrue();
        data.Count.ShouldBe(5000);
        data.Values[4999].AsDouble.ShouldBe(4999);

        memtable.Release();
        memtable.ReservedBytes.ShouldBe(0);
    }

    [Fact]
    public void ReleasedMemtable_RefusesReadsWritesAndNewReferences()
    {
        var memtable = Filled(2000);
        memtable.Release();
        memtable.TryAddReference().ShouldBeFalse();
        Should.Throw<InvalidOperationException>(() => memtable.CopyColumn(1, "v", long.MinValue, long.MaxValue, new ColumnData()));
        Should.Throw<InvalidOperationException>(() =>
        {
            var appender = new MemtableAppender();
            try
            {
                appender.Append(memtable, 1, Points(1), 0, 1);
            }
            finally
            {
                appender.Dispose();
            }
        });
        Should.Throw<InvalidOperationException>(memtable.Release);
    }

    [Fact]
    public void Appender_WritesEveryColumnOfARunAndSkipsNullsThatAddressNoPoint()
    {
        var points = new SeriesPoints("cpu", ["a", "b"]);
        for (var i = 0; i < 3; i++)
        {
            points.Times.Add(i);
            points.Seqs.Add(i + 1);
            points.ClientSeq.Add(i == 2);
            points.Values.Add(FieldValue.FromInt64(i));
            points.Values.Add(i == 0 ? FieldValue.FromString("x") : FieldValue.Null);
        }

        var memtable = new Strata.Storage.Memtable.Memtable();
        var appender = new MemtableAppender();
        appender.Append(memtable, 7, points, 0, 3);
        appender.Dispose();

        var a = new ColumnData();
        memtable.CopyColumn(7, "a", long.MinValue, long.MaxValue, a).ShouldBeTrue();
        a.Count.ShouldBe(3);
        var b = new ColumnData();
        memtable.CopyColumn(7, "b", long.MinValue, long.MaxValue, b).ShouldBeTrue();

        // Point 1's null had a server-assigned sequence number: nothing to delete, so no entry. Point 2's is a delete.
        b.Times.ToArray().ShouldBe([0L, 2L]);
        b.Values[0].AsString.ShouldBe("x");
        b.Values[1].IsNull.ShouldBeTrue();
        memtable.Entries.ShouldBe(5);
        memtable.ApproxBytes.ShouldBe((5 * ColumnBuffer.EntryBytes) + 8 + 2);
        memtable.Release();
    }
}
