using System.IO.Compression;
using Strata.Core;
using Strata.Server.Protocol;

namespace Strata.Server.Http.Endpoints;

/// <summary>
/// <c>GET /db/:db/series</c> (query), <c>POST /db/:db/series</c> (write), <c>DELETE /db/:db/series/:series</c>
/// (reference http-api.md §4.2–4.4, §5, §6). All DU→CA.
/// </summary>
public static class SeriesEndpoints
{
    public static void Map(Router router)
    {
        router.Get("/db/:db/series", QueryAsync);
        router.Post("/db/:db/series", WriteAsync);
        router.Delete("/db/:db/series/:series", DropAsync);
    }

    private static async Task WriteAsync(ApiContext c)
    {
        // 0.8 rejects a bad precision before authenticating (reference §4.3).
        var precisionText = c.Query("time_precision");
        if (!TimePrecisions.TryParse(precisionText, out var precision))
        {
            throw StrataException.BadRequest($"Unknown time precision {precisionText}");
        }

        var database = c.Route("db");
        var principal = c.Services.Auth.DatabaseUserOrClusterAdmin(c.Request, database);
        var batch = WriteBatchPool.Rent();
        try
        {
            using (var body = await c.ReadPooledBodyAsync())
            {
                if (c.Request.Headers.ContentEncoding == "gzip")
                {
                    SeriesJsonReader.Read(await GunzipAsync(c, body.Span.ToArray()), precision, batch);
                }
                else
                {
                    SeriesJsonReader.Read(body.Span, precision, batch);
                }
            }

            var info = c.Services.Engine.Meta.FindDatabase(database)
                ?? throw StrataException.BadRequest($"Database {database} doesn't exist");
            foreach (var series in batch.Series)
            {
                if (!principal.CanWrite(series.Name))
                {
                    throw StrataException.Forbidden($"User {principal.Name} doesn't have write permissions for {series.Name}");
                }
            }

            if (batch.Series.Count > 0)
            {
                await c.Services.Engine.WriteAsync(info, batch, Clock.NowMicros());
                await c.Services.Queries.Engine.ContinuousQueries.AfterWriteAsync(info, batch);
            }
        }
        finally
        {
            WriteBatchPool.Return(batch);
        }

        await c.EmptyAsync(200);
    }

    /// <summary>
    /// Decompresses a gzip body (reference §1.4: only writes honour Content-Encoding, and only "gzip"). A damaged
    /// or truncated stream is a 500 with the reader's error, as in 0.8; .NET's GZipStream stops quietly at a
    /// truncation, so the trailer's length field is checked too.
    /// </summary>
    private static async Task<byte[]> GunzipAsync(ApiContext c, byte[] compressed)
    {
        byte[] plain;
        try
        {
            await using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
            plain = await c.ReadBodyAsync(gzip);
        }
        catch (InvalidDataException e)
        {
            throw new StrataException(500, "gzip: " + e.Message);
        }

        if (compressed.Length < 18 || System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(compressed.AsSpan(compressed.Length - 4)) != (uint)plain.Length)
        {
            throw new StrataException(500, "unexpected EOF");
        }

        return plain;
    }

    private static async Task DropAsync(ApiContext c)
    {
        var database = c.Route("db");
        var principal = c.Services.Auth.DatabaseUserOrClusterAdmin(c.Request, database);
        if (!principal.IsDatabaseAdmin)
        {
            throw StrataException.Forbidden("Insufficient permissions to drop series");
        }

        // Strata choice: drop by the exact decoded name, without re-parsing it as query text.
        if (c.Services.Engine.Meta.FindDatabase(database) is { } info)
        {
            await c.Services.Engine.DropSeriesAsync(info, c.Route("series"));
        }

        await c.EmptyAsync(204);
    }

    private static Task QueryAsync(ApiContext c)
    {
        var database = c.Route("db");
        var principal = c.Services.Auth.DatabaseUserOrClusterAdmin(c.Request, database);
        var precisionText = c.Query("time_precision");
        if (!TimePrecisions.TryParse(precisionText, out var precision))
        {
            throw StrataException.BadRequest($"Unknown time precision {precisionText}");
        }

        return c.Services.Queries.RunAsync(c, principal, database, c.Query("q") ?? string.Empty, precision, c.Query("chunked") == "true");
    }
}
