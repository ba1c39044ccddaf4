using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Strata.Core;
using Strata.Storage.Index;
using Strata.Storage.Meta;
using Strata.Storage.Shards;

namespace Strata.Storage;

public sealed partial class StorageEngine
{
    private readonly ConcurrentDictionary<string, Regex> _spaceRegexes = new(StringComparer.Ordinal);
    /// <summary>Series → the space it mapped to, with the <see cref="MetaStore.ShardSpaceVersion"/> that answer holds for.</summary>
    private readonly ConcurrentDictionary<(uint Database, string Series), (int Version, ShardSpace? Space)> _spaceCache = new();
    private int _spaceCacheVersion = -1;

    /// <summary>
    /// A database whose highest-priority space matches every name (a lone default space, the usual case): its series
    /// need no lookup at all while the spaces stay at <see cref="MatchAll.Version"/>.
    /// </summary>
    private MatchAll? _matchAll;

    private sealed record MatchAll(uint Database, int Version, ShardSpace Space);

    /// <summary>
    /// The shard space a series maps to now: the first of the database's spaces (highest priority first) whose
    /// regex matches (reference §8.3), or null when none does.
    /// </summary>
    public ShardSpace? SpaceFor(DatabaseInfo database, string series) => Match(database, series).Space;

    /// <summary>
    /// The space a stored write of a series goes to (the <c>default</c> space's definition when none matches), kept on
    /// the series' index entry while the spaces are unchanged: applying a write then costs no lookup of the name.
    /// </summary>
    private ShardSpace SpaceForWrite(DatabaseInfo database, SeriesEntry entry)
    {
        if (entry.Routed is { } routed && routed.Version == Meta.ShardSpaceVersion)
        {
            return routed.Space;
        }

        var (space, _, version) = Match(database, entry.Name);
        space ??= ShardSpace.DefaultFor(database.Name);
        entry.Routed = new RoutedSpace(version, space);
        return space;
    }

    /// <summary>
    /// <see cref="SpaceFor"/> with the database's spaces it was decided against. Each cached answer carries the
    /// version of the spaces it was computed from and is used only while that version is current, so a space
    /// created or dropped by a concurrent request is never hidden behind a stale answer.
    /// </summary>
    private (ShardSpace? Space, List<ShardSpace>? Spaces, int Version) Match(DatabaseInfo database, string series)
    {
        var current = Meta.ShardSpaceVersion;
        if (current != Volatile.Read(ref _spaceCacheVersion))
        {
            // Old answers are dead weight once the spaces changed.
            _spaceCache.Clear();
            Volatile.Write(ref _spaceCacheVersion, current);
        }

        if (Volatile.Read(ref _matchAll) is { } all && all.Database == database.Id && all.Version == current)
        {
            return (all.Space, null, current);
        }

        if (_spaceCache.TryGetValue((database.Id, series), out var cached) && cached.Version == current)
        {
            return (cached.Space, null, cached.Version);
        }

        var (version, spaces) = Meta.ShardSpacesWithVersion(database.Name);
        if (spaces.Count > 0 && SpaceRegex.MatchesEverything(spaces[0].Regex))
        {
            Volatile.Write(ref _matchAll, new MatchAll(database.Id, version, spaces[0]));
            return (spaces[0], spaces, version);
        }

        ShardSpace? match = null;
        foreach (var space in spaces)
        {
            if (_spaceRegexes.GetOrAdd(space.Regex, SpaceRegex.Compile).IsMatch(series))
            {
                match = space;
                break;
            }
        }

        _spaceCache[(database.Id, series)] = (version, match);
        return (match, spaces, version);
    }

    /// <summary>
    /// The space a write of <paramref name="series"/> goes to. When none matches, the <c>default</c> space is created
    /// with the lowest priority (Strata choice, §8.4); if a space named default exists but does not match, 400.
    /// </summary>
    public ShardSpace RouteWrite(DatabaseInfo database, string series)
    {
        while (true)
        {
            var (space, spaces, _) = Match(database, series);
            if (space is not null)
            {
                return space;
            }

            // Decide against the very spaces the series failed to match (a cached miss carries none: look again).
            if (spaces is null)
            {
                _spaceCache.TryRemove((database.Id, series), out _);
                continue;
            }

            foreach (var existing in spaces)
            {
                if (existing.Name == ShardSpaces.DefaultSpace)
                {
                    throw StrataException.BadRequest($"No shard space matches series {series} and a space named default already exists");
                }
            }

            try
            {
                Meta.AddShardSpace(ShardSpace.DefaultFor(database.Name), lowestPriority: true);
            }
            catch (StrataException)
            {
                // Created by a concurrent write (or a space named default appeared): look again.
            }
        }
    }

    /// <summary>Every shard of every database, by id: (shard, database name).</summary>
    public List<(Shard Shard, string Database)> ListShards()
    {
        var result = new List<(Shard, string)>();
        lock (_writeLock)
        {
            foreach (var (databaseId, shards) in _shards)
            {
                // A database being restored has its shards registered just before its metadata: not listed until then.
                if (Meta.FindDatabaseById(databaseId)?.Name is not { } name)
                {
                    continue;
                }

                foreach (var shard in shards.Values)
                {
                    result.Add((shard, name));
                }
            }
        }

        result.Sort((a, b) => a.Item1.Id.CompareTo(b.Item1.Id));
        return result;
    }

    /// <summary>Creates a shard for [start, end) in a space unless one with the same bounds exists (POST /cluster/shards).</summary>
    public void CreateShard(DatabaseInfo database, string space, long startMicros, long endMicros)
    {
        lock (_writeLock)
        {
            if (!_shards.TryGetValue(database.Id, out var shards))
            {
                shards = [];
                _shards[database.Id] = shards;
            }

            if (shards.TryGetValue((startMicros, space), out var existing) && existing.EndMicros == endMicros)
            {
                return;
            }

            var id = _nextShardId++;
            shards[(startMicros, space)] = new Shard(id, database.Id, space, startMicros, endMicros, Path.Combine(_shardDirectory, id.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>Drops shards whose end lies before now − retention of their space (reference §8.7), every database.</summary>
    public List<Shard> SweepRetention(long nowMicros)
    {
        var expired = new List<Shard>();
        lock (_writeLock)
        {
            foreach (var (databaseId, shards) in _shards)
            {
                var database = Meta.FindDatabaseById(databaseId);
                if (database is null)
                {
                    continue;
                }

                var spaces = Meta.ListShardSpaces(database.Name);
                foreach (var (key, shard) in shards)
                {
                    var space = spaces.Find(s => s.Name == shard.Space);
                    if (space?.RetentionMicros is { } retention && shard.EndMicros < nowMicros - retention)
                    {
                        expired.Add(shard);
                    }
                }

                foreach (var shard in expired)
                {
                    shards.Remove((shard.StartMicros, shard.Space));
                }
            }
        }

        DropShards(expired);
        return expired;
    }

    /// <summary>Drops shards of a removed space (reference §4.16: the space and all its shards).</summary>
    public void DropSpaceShards(DatabaseInfo database, string space)
    {
        var dropped = new List<Shard>();
        lock (_writeLock)
        {
            if (_shards.TryGetValue(database.Id, out var shards))
            {
                foreach (var (key, shard) in shards)
                {
                    if (shard.Space == space)
                    {
                        dropped.Add(shard);
                    }
                }

                foreach (var shard in dropped)
                {
                    shards.Remove((shard.StartMicros, shard.Space));
                }
            }
        }

        DropShards(dropped);
    }

    /// <summary>Removes one shard by id (DELETE /cluster/shards/:id); false when unknown.</summary>
    public bool DropShard(long id)
    {
        Shard? found = null;
        lock (_writeLock)
        {
            foreach (var shards in _shards.Values)
            {
                foreach (var shard in shards.Values)
                {
                    if (shard.Id == id)
                    {
                        found = shard;
                    }
                }

                if (found is not null)
                {
                    shards.Remove((found.StartMicros, found.Space));
                    break;
                }
            }
        }

        if (found is null)
        {
            return false;
        }

        DropShards([found]);
        return true;
    }

    /// <summary>
    /// Whole-directory removal: the shards are already invisible to new queries; the checkpoint stops listing them,
    /// then the files go (queries still reading keep their open handles).
    /// </summary>
    private void DropShards(List<Shard> shards)
    {
        if (shards.Count == 0)
        {
            return;
        }

        _lastPoints.ForgetAll();
        _maintenance.Wait();
        _flushGate.Wait();
        try
        {
            SaveCheckpoint();
            foreach (var shard in shards)
            {
                shard.Close();
                TryDeleteDirectory(shard.Directory);
                StorageLog.ShardDropped(_logger, shard.Id, shard.Space, shard.StartMicros, shard.EndMicros);
            }
        }
        finally
        {
            _flushGate.Release();
            _maintenance.Release();
        }
    }
}
