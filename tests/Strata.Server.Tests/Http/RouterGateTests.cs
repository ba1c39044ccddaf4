using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Strata.Server.Auth;
using Strata.Server.Http;
using Strata.Server.Http.Endpoints;
using Strata.Server.Tests.Support;

namespace Strata.Server.Tests.Http;

/// <summary>
/// The listener starts while the WAL is replayed; <see cref="RouterGate"/> holds the requests that arrive meanwhile
/// until the router exists, and answers them 503 if the server gives up starting.
/// </summary>
public sealed class RouterGateTests
{
    private static DefaultHttpContext Ping()
    {
        var http = new DefaultHttpContext();
        http.Request.Method = "GET";
        http.Request.Path = "/ping";
        http.Response.Body = new MemoryStream();
        return http;
    }

    [Fact]
    public async Task RequestsBeforeRecoveryWait_ThenGoToTheRouter()
    {
        await using var server = await TestServer.StartAsync();
        var engine = server.Host.Engine;
        var services = new StrataServices(server.Options, engine, new Authenticator(engine.Meta, new PasswordHasher()), new QueryResponder(engine, server.Options));
        var router = new Router(services, NullLogger.Instance);
        PingEndpoints.Map(router);

        var gate = new RouterGate();
        var early = Ping();
        var waiting = gate.DispatchAsync(early);
        await Task.Delay(100);
        waiting.IsCompleted.ShouldBeFalse("a request was answered before the router was there");

        gate.Open(router);
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        early.Response.StatusCode.ShouldBe(200);
        System.Text.Encoding.UTF8.GetString(((MemoryStream)early.Response.Body).ToArray()).ShouldBe("""{"status":"ok"}""");

        var later = Ping();
        await gate.DispatchAsync(later);
        later.Response.StatusCode.ShouldBe(200);
    }

    [Fact]
    public async Task RequestsWaitingWhenStartFails_Get503()
    {
        var gate = new RouterGate();
        var http = Ping();
        var waiting = gate.DispatchAsync(http);
        gate.Fail();
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        http.Response.StatusCode.ShouldBe(503);
    }
}
