using System.Buffers;
using Strata.Core;
using Strata.Query.Execution;
using Strata.Query.Parsing;
using Strata.Query.Parsing.Ast;
using Strata.Server.Auth;
using Strata.Server.Config;
using Strata.Server.Protocol;
using Strata.Storage;

namespace Strata.Server.Http;

/// <summary>
/// Runs <c>GET /db/:db/series?q=</c> and writes the result as 0.8 does (reference http-api.md §6): one JSON array
/// with pieces merged by series name and sorted by name, or with <c>chunked=true</c> one JSON object per piece,
/// concatenated and flushed as produced.
/// </summary>
public sealed class QueryResponder
{
    private readonly QueryEngine _engine;
    private readonly StrataOptions _options;

    public QueryResponder(StorageEngine storage, StrataOptions options)
    {
        _engine = new QueryEngine(storage);
        _options = options;
    }

    /// <summary>The query engine, shared with the continuous-query scheduler.</summary>
    public QueryEngine Engine => _engine;

    /// <summary>Longest query text accepted (Strata limit; 0.8 had none).</summary>
    public const int MaxQueryLength = 256 * 1024;

    public async Task RunAsync(ApiContext c, Principal principal, string database, string query, TimePrecision precision, bool chunked)
    {
        if (query.Length > MaxQueryLength)
        {
            throw StrataException.BadRequest($"Query too long ({query.Length} characters; the limit is {MaxQueryLength})");
        }

        IReadOnlyList<Statement> statements;
        try
        {
            statements = QueryParser.Parse(query);
        }
        catch (QueryParseException e)
        {
            throw StrataException.BadRequest(e.ToThreeLineForm());
        }
        catch (QueryValidationException e)
        {
            throw StrataException.BadRequest(e.Message);
        }

        if (chunked)
        {
            await RunChunkedAsync(c, principal, database, statements, query, precision);
            return;
        }

        if (statements is [SelectStatement { Into: null } select] && await TryStreamAsync(c, principal, database, select, query, precision))
        {
            return;
        }

        // 0.8 runs the statements of one request in reverse text order (query-language.md §2.2).
        var collector = new Collector();
        for (var i = statements.Count - 1; i >= 0; i--)
        {
            var statement = statements[i];
            await _engine.ExecuteAsync(database, statement, Clock.NowMicros(), query, collector, _options.PointBatchSize, ToQueryPrincipal(principal));
        }

        var merged = collector.MergedByName();
        await c.JsonAsync(200, w =>
        {
            w.StartArray();
            foreach (var series in merged)
            {
                WriteSeries(w, series, precision);
            }

            w.EndArray();
        });
    }

    /// <summary>
    /// Runs one select writing each series into the answer as soon as the next name shows it complete, so a select
    /// over 100,000 series does not hold 100,000 results until the end. Returns false, having sent nothing, when the
    /// names did not come in order (a from-list out of order): the caller then runs it again and collects.
    /// </summary>
    private async Task<bool> TryStreamAsync(ApiContext c, Principal principal, string database, SelectStatement select, string query, TimePrecision precision)
    {
        using var body = new PooledChunkWriter();
        var output = new StreamingCollector(new GoJsonWriter(body, c.Pretty), precision);
        try
        {
            await _engine.ExecuteAsync(database, select, Clock.NowMicros(), query, output, _options.PointBatchSize, ToQueryPrincipal(principal));
        }
        catch (NamesOutOfOrderException)
        {
            return false;
        }

        output.Finish();
        await c.JsonAsync(200, body);
        return true;
    }

    private async Task RunChunkedAsync(ApiContext c, Principal principal, string database, IReadOnlyList<Statement> statements, string query, TimePrecision precision)
    {
        var output = new ChunkWriter(c, precision);
        try
        {
            for (var i = statements.Count - 1; i >= 0; i--)
            {
                var statement = statements[i];
                await _engine.ExecuteAsync(database, statement, Clock.NowMicros(), query, output, _options.PointBatchSize, ToQueryPrincipal(principal));
            }
        }
        catch (StrataException e) when (output.Started)
        {
            // After the first chunk the status is sent: 0.8 appends the error text to the stream.
            await c.Response.WriteAsync(e.Message);
            return;
        }

        await output.FlushAsync();
        if (!output.Started)
        {
            await c.EmptyAsync(200);
        }
    }

    private static QueryPrincipal ToQueryPrincipal(Principal principal) =>
        new(principal.Name, principal.IsDatabaseAdmin, principal.CanRead);

    /// <summary>Writes one series object: time first, sequence_number second when the first row has one (or there are no rows).</summary>
    public static void WriteSeries(GoJsonWriter w, SeriesResult series, TimePrecision precision)
    {
        var withSequence = series.HasSequence || series.Rows.Count == 0;
        w.StartObject();
        w.PropertyName("name");
        w.String(series.Name);
        w.PropertyName("columns");
        w.StartArray();
        w.String("time");
        if (withSequence)
        {
            w.String("sequence_number");
        }

        foreach (var column in series.Columns)
        {
            w.String(column);
        }

        w.EndArray();
        w.PropertyName("points");
        w.StartArray();
        foreach (var row in series.Rows)
        {
            w.StartArray();
            w.Int64(precision.FromMicros(row.Time));
            if (withSequence)
            {
                w.Int64(row.Seq);
            }

            foreach (var value in row.Values)
            {
                WriteValue(w, value);
            }

            w.EndArray();
        }

        w.EndArray();
        w.EndObject();
    }

    private static void WriteValue(GoJsonWriter w, FieldValue value)
    {
        switch (value.Type)
        {
            case FieldType.Null:
                w.Null();
                break;
            case FieldType.Bool:
                w.Bool(value.AsBool);
                break;
            case FieldType.Int64:
                w.Int64(value.AsInt64);
                break;
            case FieldType.Double:
                w.Double(value.AsDouble);
                break;
            default:
                w.String(value.AsString);
                break;
        }
    }

    /// <summary>
    /// Collects pieces and merges those with the same name (union of columns, rows concatenated): for requests of
    /// several statements, and for a select whose names came out of order (a single select otherwise streams).
    /// </summary>
    private sealed class Collector : IQueryOutput
    {
        private readonly Dictionary<string, List<SeriesResult>> _byName = new(StringComparer.Ordinal);

        public ValueTask EmitAsync(SeriesResult piece)
        {
            if (!_byName.TryGetValue(piece.Name, out var pieces))
            {
                pieces = [];
                _byName[piece.Name] = pieces;
            }

            pieces.Add(piece);
            return ValueTask.CompletedTask;
        }

        public List<SeriesResult> MergedByName()
        {
            var names = new List<string>(_byName.Keys);
            names.Sort(StringComparer.Ordinal);
            var result = new List<SeriesResult>(names.Count);
            foreach (var name in names)
            {
                result.Add(Merge(_byName[name]));
            }

            return result;
        }

        public static SeriesResult Merge(List<SeriesResult> pieces)
        {
            if (pieces.Count == 1)
            {
                return pieces[0];
            }

            var first = pieces[0];
            var columns = new List<string>(first.Columns);
            foreach (var piece in pieces)
            {
                foreach (var column in piece.Columns)
                {
                    if (!columns.Contains(column))
                    {
                        columns.Add(column);
                    }
                }
            }

            var merged = new SeriesResult(first.Name, columns, first.HasSequence);
            foreach (var piece in pieces)
            {
                var same = piece.Columns.Count == columns.Count;
                for (var i = 0; same && i < columns.Count; i++)
                {
                    same = piece.Columns[i] == columns[i];
                }

                foreach (var row in piece.Rows)
                {
                    if (same)
                    {
                        merged.Rows.Add(row);
                        continue;
                    }

                    var values = new FieldValue[columns.Count];
                    for (var i = 0; i < piece.Columns.Count; i++)
                    {
                        values[columns.IndexOf(piece.Columns[i])] = row.Values[i];
                    }

                    merged.Rows.Add(row with { Values = values });
                }
            }

            return merged;
        }
    }

    /// <summary>
    /// Writes the answer while pieces arrive in name order: the pieces of the current name are held (and merged as
    /// <see cref="Collector"/> merges them) until a later name starts; an earlier name stops it.
    /// </summary>
    private sealed class StreamingCollector : IQueryOutput
    {
        private readonly GoJsonWriter _writer;
        private readonly TimePrecision _precision;
        private readonly List<SeriesResult> _pending = [];

        public StreamingCollector(GoJsonWriter writer, TimePrecision precision)
        {
            _writer = writer;
            _precision = precision;
            _writer.StartArray();
        }

        public ValueTask EmitAsync(SeriesResult piece)
        {
            if (_pending.Count > 0)
            {
                var order = string.CompareOrdinal(piece.Name, _pending[0].Name);
                if (order < 0)
                {
                    throw new NamesOutOfOrderException();
                }

                if (order > 0)
                {
                    WritePending();
                }
            }

            _pending.Add(piece);
            return ValueTask.CompletedTask;
        }

        public void Finish()
        {
            WritePending();
            _writer.EndArray();
        }

        private void WritePending()
        {
            if (_pending.Count > 0)
            {
                WriteSeries(_writer, _pending.Count == 1 ? _pending[0] : Collector.Merge(_pending), _precision);
                _pending.Clear();
            }
        }
    }

    private sealed class NamesOutOfOrderException : Exception;

    /// <summary>Serialises each piece as one JSON object and flushes it (reference §6.6).</summary>
    private sealed class ChunkWriter(ApiContext context, TimePrecision precision) : IQueryOutput
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);

        public bool Started { get; private set; }

        public async ValueTask EmitAsync(SeriesResult piece)
        {
            WriteSeries(new GoJsonWriter(_buffer, context.Pretty), piece, precision);
            await FlushAsync();
        }

        public async Task FlushAsync()
        {
            if (_buffer.WrittenCount == 0)
            {
                return;
            }

            if (!Started)
            {
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json";
                Started = true;
            }

            await context.Response.Body.WriteAsync(_buffer.WrittenMemory, context.Http.RequestAborted);
            await context.Response.Body.FlushAsync(context.Http.RequestAborted);
            _buffer.ResetWrittenCount();
        }
    }
}
