using Microsoft.AspNetCore.Http;

namespace Strata.Server.Http;

/// <summary>
/// The request handler the listener gets before the storage engine has recovered: requests that arrive while the
/// WAL is replayed wait for the router, so the listener can start alongside recovery without any request being
/// answered before every acknowledged point is back. Once open, a request costs one field read more.
/// </summary>
internal sealed class RouterGate
{
    private readonly TaskCompletionSource<Router> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Router? _router;

    public Task DispatchAsync(HttpContext http) =>
        Volatile.Read(ref _router) is { } router ? router.DispatchAsync(http) : WaitAsync(http);

    /// <summary>Recovery is done: waiting and later requests go to <paramref name="router"/>.</summary>
    public void Open(Router router)
    {
        Volatile.Write(ref _router, router);
        _ready.TrySetResult(router);
    }

    /// <summary>The server will not start: waiting requests get 503 instead of holding up the shutdown.</summary>
    public void Fail() => _ready.TrySetCanceled();

    private async Task WaitAsync(HttpContext http)
    {
        Router router;
        try
        {
            router = await _ready.Task;
        }
        catch (OperationCanceledException)
        {
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        await router.DispatchAsync(http);
    }
}
