namespace Strata.Server.Http.Endpoints;

/// <summary><c>GET /ping</c>: no authentication, 200 <c>{"status":"ok"}</c> (reference http-api.md §4.1).</summary>
public static class PingEndpoints
{
    public static void Map(Router router) =>
        router.Get("/ping", c => c.TextAsync(200, "{\"status\":\"ok\"}", "text/plain; charset=utf-8"));
}
