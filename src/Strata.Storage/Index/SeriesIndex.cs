using Strata.Core;

namespace Strata.Storage.Index;

/// <summary>One series of a database: its id (segments key data by id) and its columns in first-written order.</summary>
public sealed class SeriesEntry
{
    private readonly List<string> _columns = new(2);

    /// <summary>Only for wide series: a handful of columns is searched faster, and far smaller, as a list (issue 6, G6).</summary>
    private HashSet<string>? _columnSet;

    public SeriesEntry(uint id, string name)
    {
        Id = id;
        Name = name;
    }

    public uint Id { get; }

    public string Name { get; }

    /// <summary>The shard space the write path last routed this series to, and the space version that holds for.</summary>
    internal RoutedSpace? Routed { get; set; }

    /// <summary>Columns in the order they were first written: the column order of <c>select *</c>.</summary>
    public IReadOnlyList<string> Columns => _columns;

    public bool HasColumn(string column) => _columnSet?.Contains(column) ?? _columns.Contains(column);

    internal bool AddColumn(string column)
    {
        if (HasColumn(column))
        {
            return false;
        }

        _columns.Add(column);
        if (_columnSet is not null)
        {
            _columnSet.Add(column);
        }
        else if (_columns.Count > 8)
        {
            _columnSet = new HashSet<string>(_columns, StringComparer.Ordinal);
        }

        return true;
    }
}

/// <summary>A series' shard space as decided against version <paramref name="Version"/> of the shard spaces.</summary>
internal sealed record RoutedSpace(int Version, Shards.ShardSpace Space);

/// <summary>
/// The series of one database: name → id and columns. A dropped series loses its id for good; writing the name
/// again creates a new id, so data stored under the old id is never read again and compaction discards it.
/// Mutated under the engine's write lock; readers take <see cref="_lock"/> and get copies.
/// </summary>
public sealed class SeriesIndex
{
    private readonly Dictionary<string, SeriesEntry> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, SeriesEntry> _byId = [];
    private readonly Dictionary<string, string> _columnNames = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Every entry in ordinal name order, kept until a series is added or removed; null until asked for.</summary>
    private SeriesEntry[]? _sorted;

    /// <summary>Counts additions and removals, so a sorted copy made outside the lock is kept only if still current.</summary>
    private long _changes;

    /// <summary>
    /// The entries of the last <see cref="GetOrAddAll"/> by position: clients send the same series in the same order
    /// write after write, so the name at position i is compared with the last one there before it is hashed (the
    /// lookup by name was ~1.5% of the server's CPU on W). Emptied when a series is removed or restored; a null
    /// position has no guess.
    /// </summary>
    private SeriesEntry?[] _lastWrite = [];

    public SeriesIndex(uint nextId = 1) => NextId = nextId;

    public uint NextId { get; private set; }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _byName.Count;
            }
        }
    }

    public SeriesEntry GetOrAdd(string name)
    {
        lock (_lock)
        {
            if (_byName.TryGetValue(name, out var entry))
            {
                return entry;
            }

            entry = new SeriesEntry(NextId++, name);
            _byName[name] = entry;
            _byId[entry.Id] = entry;
            Changed();
            return entry;
        }
    }

    /// <summary>
    /// <see cref="GetOrAdd"/> and <see cref="AddColumn"/> for every series of a write under one lock:
    /// <paramref name="entries"/>[i] is the entry of <paramref name="series"/>[i].
    /// </summary>
    public void GetOrAddAll(List<SeriesPoints> series, Span<SeriesEntry> entries)
    {
        lock (_lock)
        {
            if (_lastWrite.Length < series.Count)
            {
                Array.Resize(ref _lastWrite, Math.Max(series.Count, _lastWrite.Length * 2));
            }

            for (var i = 0; i < series.Count; i++)
            {
                var s = series[i];
                SeriesEntry? entry = null;
                if (_lastWrite[i] is { } last && string.Equals(last.Name, s.Name, StringComparison.Ordinal))
                {
                    entry = last;
                }
                else if (!_byName.TryGetValue(s.Name, out entry))
                {
                    entry = new SeriesEntry(NextId++, s.Name);
                    _byName[s.Name] = entry;
                    _byId[entry.Id] = entry;
                    Changed();
                }

                foreach (var column in s.Columns)
                {
                    if (!entry.HasColumn(column))
                    {
                        entry.AddColumn(Intern(column));
                    }
                }

                entries[i] = entry;
                _lastWrite[i] = entry;
            }
        }
    }

    /// <summary>
    /// Restores an entry from a checkpoint's record. The column names are interned in <paramref name="columns"/> itself,
    /// so the record, which the engine keeps until its next checkpoint, shares the index's strings (~30 bytes a series).
    /// </summary>
    public void Restore(uint id, string name, string[] columns)
    {
        lock (_lock)
        {
            var entry = new SeriesEntry(id, name);
            for (var c = 0; c < columns.Length; c++)
            {
                columns[c] = Intern(columns[c]);
                entry.AddColumn(columns[c]);
            }

            _byName[name] = entry;
            _byId[id] = entry;
            Array.Clear(_lastWrite);
            NextId = Math.Max(NextId, id + 1);
            Changed();
        }
    }

    /// <summary>
    /// One string per distinct column name across the database's series (most series share their column names;
    /// a checkpoint would otherwise give every series its own copies).
    /// </summary>
    private string Intern(string column)
    {
        if (_columnNames.TryGetValue(column, out var known))
        {
            return known;
        }

        _columnNames[column] = column;
        return column;
    }

    public void AddColumn(SeriesEntry entry, string column)
    {
        lock (_lock)
        {
            if (!entry.HasColumn(column))
            {
                entry.AddColumn(Intern(column));
            }
        }
    }

    public bool TryGet(string name, out SeriesEntry entry)
    {
        lock (_lock)
        {
            return _byName.TryGetValue(name, out entry!);
        }
    }

    public string? NameOf(uint id)
    {
        lock (_lock)
        {
            return _byId.TryGetValue(id, out var entry) ? entry.Name : null;
        }
    }

    public bool ContainsId(uint id)
    {
        lock (_lock)
        {
            return _byId.ContainsKey(id);
        }
    }

    /// <summary>A copy of the columns of a series, in first-written order.</summary>
    public List<string> GetColumns(SeriesEntry entry)
    {
        lock (_lock)
        {
            return [.. entry.Columns];
        }
    }

    public bool Remove(string name, out uint id)
    {
        lock (_lock)
        {
            if (_byName.Remove(name, out var entry))
            {
                _byId.Remove(entry.Id);
                Array.Clear(_lastWrite);
                Changed();
                id = entry.Id;
                return true;
            }

            id = 0;
            return false;
        }
    }

    /// <summary>All series names, ordinal-sorted (the order of <c>list series</c> and of regex from-clauses).</summary>
    public List<string> SortedNames()
    {
        var entries = SortedEntries();
        var names = new List<string>(entries.Count);
        foreach (var entry in entries)
        {
            names.Add(entry.Name);
        }

        return names;
    }

    /// <summary>
    /// All entries in ordinal name order, shared and read-only: sorted once after each addition or removal (outside
    /// the lock, so writers never wait for it), not once per query over 100,000 series.
    /// </summary>
    public IReadOnlyList<SeriesEntry> SortedEntries()
    {
        SeriesEntry[] entries;
        long changes;
        lock (_lock)
        {
            if (_sorted is { } sorted)
            {
                return sorted;
            }

            entries = [.. _byName.Values];
            changes = _changes;
        }

        Array.Sort(entries, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        lock (_lock)
        {
            if (_changes == changes)
            {
                _sorted = entries;
            }
        }

        return entries;
    }

    private void Changed()
    {
        _changes++;
        _sorted = null;
    }

    /// <summary>A consistent copy for the checkpoint: (id, name, columns) per series.</summary>
    public List<(uint Id, string Name, string[] Columns)> Snapshot()
    {
        lock (_lock)
        {
            var list = new List<(uint, string, string[])>(_byName.Count);
            foreach (var e in _byName.Values)
            {
                list.Add((e.Id, e.Name, [.. e.Columns]));
            }

            return list;
        }
    }
}
