using Strata.Storage.IO;

namespace Strata.Storage.Segments;

/// <summary>
/// The columns a segment holds for one series, each with its blocks. Most series have a handful of columns, so they
/// sit in one small array searched in order (~40 bytes for one column, where a dictionary per series took ~200 and
/// 1 M one-column series held 200 MB of them); a series with more than <see cref="ScanLimit"/> gets a dictionary too.
/// </summary>
internal readonly struct SegmentColumns
{
    private const int ScanLimit = 8;

    private readonly KeyValuePair<string, BlockMeta[]>[] _columns;
    private readonly Dictionary<string, BlockMeta[]>? _byName;

    /// <exception cref="InvalidDataException">A column is named twice.</exception>
    public SegmentColumns(KeyValuePair<string, BlockMeta[]>[] columns)
    {
        _columns = columns;
        if (columns.Length > ScanLimit)
        {
            _byName = new Dictionary<string, BlockMeta[]>(columns.Length, StringComparer.Ordinal);
            foreach (var (name, blocks) in columns)
            {
                if (!_byName.TryAdd(name, blocks))
                {
                    BinaryReadCursor.ThrowCorrupt($"column {name} listed twice");
                }
            }

            return;
        }

        for (var i = 1; i < columns.Length; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (string.Equals(columns[i].Key, columns[j].Key, StringComparison.Ordinal))
                {
                    BinaryReadCursor.ThrowCorrupt($"column {columns[i].Key} listed twice");
                }
            }
        }
    }

    public IEnumerable<string> Names
    {
        get
        {
            foreach (var column in _columns)
            {
                yield return column.Key;
            }
        }
    }

    public bool TryGet(string column, out BlockMeta[] blocks)
    {
        if (_byName is not null)
        {
            if (_byName.TryGetValue(column, out var found))
            {
                blocks = found;
                return true;
            }
        }
        else
        {
            foreach (var (name, columnBlocks) in _columns)
            {
                if (string.Equals(name, column, StringComparison.Ordinal))
                {
                    blocks = columnBlocks;
                    return true;
                }
            }
        }

        blocks = [];
        return false;
    }
}
