using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Strata.Core;
using Strata.Server.Protocol;

namespace Strata.Server.Inputs;

/// <summary>
/// The UDP JSON input (reference http-api.md §10.3): each datagram (read into 2,048 bytes, as 0.8 does) is a 0.8
/// write body with times in seconds, written to one database with the system identity. Series objects are written
/// one at a time, so a bad one is logged and skipped; invalid JSON drops the datagram. Nothing is sent back.
/// </summary>
public sealed partial class UdpJsonInput : IAsyncDisposable
{
    public const int DatagramBytes = 2048;

    private readonly UdpClient _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly StrataServices _services;
    private readonly string _database;
    private readonly ILogger _logger;
    private readonly Logging.LogRateLimiter _warnings = new(TimeSpan.FromMinutes(1));

    public UdpJsonInput(StrataServices services, string bindAddress, int port, string database, ILogger logger)
    {
        _services = services;
        _database = database;
        _logger = logger;
        var address = bindAddress.Length == 0 ? IPAddress.Any : IPAddress.Parse(bindAddress == "localhost" ? "127.0.0.1" : bindAddress);
        _socket = new UdpClient(new IPEndPoint(address, port));
        Started(logger, port, database);
        _loop = Task.Run(LoopAsync);
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult datagram;
            try
            {
                datagram = await _socket.ReceiveAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            var bytes = datagram.Buffer.Length > DatagramBytes ? datagram.Buffer.AsMemory(0, DatagramBytes) : datagram.Buffer;
            await HandleAsync(bytes);
        }
    }

    private async Task HandleAsync(ReadOnlyMemory<byte> datagram)
    {
        JsonElement root;
        try
        {
            var reader = new Utf8JsonReader(datagram.Span, new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = 64 });
            using var document = JsonDocument.ParseValue(ref reader);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            Warn("invalid JSON: " + e.Message);
            return;
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            Warn("the datagram is not a JSON array of series");
            return;
        }

        var engine = _services.Engine;
        foreach (var series in root.EnumerateArray())
        {
            try
            {
                var batch = SeriesJsonReader.Read(Encoding.UTF8.GetBytes("[" + series.GetRawText() + "]"), TimePrecision.Seconds);
                if (batch.Series.Count == 0)
                {
                    continue;
                }

                var database = engine.Meta.FindDatabase(_database)
                    ?? throw StrataException.BadRequest($"Database {_database} doesn't exist");
                await engine.WriteAsync(database, batch, Clock.NowMicros());
                await _services.Queries.Engine.ContinuousQueries.AfterWriteAsync(database, batch);
            }
            catch (StrataException e)
            {
                Warn(e.Message);
            }
        }
    }

    /// <summary>Every bad packet would warn otherwise: once a minute per input is enough to notice a bad sender.</summary>
    private void Warn(string reason)
    {
        if (_warnings.TryAcquire(_database, out var suppressed))
        {
            Rejected(_logger, _database, reason, suppressed);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "UDP JSON input listening on port {Port}, writing to database {Database}")]
    private static partial void Started(ILogger logger, int port, string database);

    [LoggerMessage(Level = LogLevel.Warning, Message = "UDP JSON input for {Database} skipped a series: {Reason} ({Suppressed} more skipped since the last warning)")]
    private static partial void Rejected(ILogger logger, string database, string reason, long suppressed);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _loop;
        _stop.Dispose();
    }
}
