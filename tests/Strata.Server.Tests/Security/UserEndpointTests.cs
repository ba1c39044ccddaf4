using System.Net;
using System.Text;
using Strata.Server.Tests.Support;

namespace Strata.Server.Tests.Security;

/// <summary>Cluster admins and database users (reference http-api.md §4.8, §4.9).</summary>
public class UserEndpointTests
{
    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(TestServer server, HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await server.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static Task<(HttpStatusCode Status, string Body)> Root(TestServer server, HttpMethod method, string path, string? body = null) =>
        SendAsync(server, method, TestServer.Auth(path), body);

    [Fact]
    public async Task ClusterAdmins_CreateListChangePasswordAndDelete()
    {
        await using var server = await TestServer.StartAsync();
        (await Root(server, HttpMethod.Post, "/cluster_admins", """{"name":"ops","password":"opspass1"}""")).ShouldBe((HttpStatusCode.OK, ""));
        (await Root(server, HttpMethod.Get, "/cluster_admins")).ShouldBe((HttpStatusCode.OK, """[{"name":"ops"},{"name":"root"}]"""));
        (await SendAsync(server, HttpMethod.Get, TestServer.Auth("/cluster_admins/authenticate", "ops", "opspass1"))).Status.ShouldBe(HttpStatusCode.OK);
        (await Root(server, HttpMethod.Post, "/cluster_admins/ops", """{"password":"newpass1"}""")).Status.ShouldBe(HttpStatusCode.OK);
        (await SendAsync(server, HttpMethod.Get, TestServer.Auth("/cluster_admins/authenticate", "ops", "opspass1"))).ShouldBe((HttpStatusCode.Unauthorized, "Invalid username/password"));
        (await SendAsync(server, HttpMethod.Get, TestServer.Auth("/cluster_admins/authenticate", "ops", "newpass1"))).Status.ShouldBe(HttpStatusCode.OK);
        (await Root(server, HttpMethod.Delete, "/cluster_admins/ops")).Status.ShouldBe(HttpStatusCode.OK);
        (await Root(server, HttpMethod.Get, "/cluster_admins")).Body.ShouldBe("""[{"name":"root"}]""");
    }

    [Theory]
    [InlineData("""{"name":"a%b","password":"goodpass"}""", "a%b isn't a valid username")]
    [InlineData("""{"name":"","password":"goodpass"}""", "Username cannot be empty")]
    [InlineData("""{"name":"x","password":"abc"}""", "Password must be more than 4 and less than 56 characters")]
    [InlineData("""{"name":"root","password":"goodpass"}""", "User root already exists")]
    [InlineData("""{"name":1}""", "json: cannot unmarshal number into Go value of type string")]
    [InlineData("""[]""", "json: cannot unmarshal array into Go value of type http.NewUser")]
    public async Task ClusterAdmins_CreateRejectsBadInput(string body, string message)
    {
        await using var server = await TestServer.StartAsync();
        (await Root(server, HttpMethod.Post, "/cluster_admins", body)).ShouldBe((HttpStatusCode.BadRequest, message));
    }

    [Fact]
    public async Task ClusterAdmins_ErrorsOfUpdateAndDelete()
    {
        await using var server = await TestServer.StartAsync();
        (await Root(server, HttpMethod.Post, "/cluster_admins/root", "{bad")).Status.ShouldBe(HttpStatusCode.InternalServerError);
        (await SendAsync(server, HttpMethod.Post, "/cluster_admins", "{bad")).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await Root(server, HttpMethod.Post, "/cluster_admins/nobody", """{"password":"goodpass"}""")).ShouldBe((HttpStatusCode.BadRequest, "Invalid user name nobody"));
        (await Root(server, HttpMethod.Delete, "/cluster_admins/nobody")).ShouldBe((HttpStatusCode.BadRequest, "User nobody doesn't exists"));
        (await Root(server, HttpMethod.Delete, "/cluster_admins/root")).ShouldBe((HttpStatusCode.BadRequest, "Cannot delete the last cluster admin"));
        (await SendAsync(server, HttpMethod.Get, "/cluster_admins")).ShouldBe((HttpStatusCode.Unauthorized, "Invalid database/username/password"));
    }

    [Fact]
    public async Task DatabaseUsers_CreateWithDefaultsShowListUpdateDelete()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateDatabaseAsync("db1");
        (await Root(server, HttpMethod.Post, "/db/db1/users", """{"name":"paul","password":"secret1"}""")).ShouldBe((HttpStatusCode.OK, ""));
        (await Root(server, HttpMethod.Get, "/db/db1/users")).Body.ShouldBe("""[{"name":"paul","isAdmin":false,"writeTo":".*","readFrom":".*"}]""");
        (await Root(server, HttpMethod.Post, "/db/db1/users/paul", """{"readFrom":"^cpu","writeTo":"^mem$","admin":true}""")).Status.ShouldBe(HttpStatusCode.OK);
        (await Root(server, HttpMethod.Get, "/db/db1/users/paul")).Body.ShouldBe("""{"name":"paul","isAdmin":true,"writeTo":"^mem$","readFrom":"^cpu"}""");
        (await SendAsync(server, HttpMethod.Get, TestServer.Auth("/db/db1/authenticate", "paul", "secret1"))).Status.ShouldBe(HttpStatusCode.OK);
        (await SendAsync(server, HttpMethod.Get, TestServer.Auth("/db/db1/authenticate"))).ShouldBe((HttpStatusCode.Unauthorized, "Invalid username/password"));
        (await Root(server, HttpMethod.Delete, "/db/db1/users/paul")).Status.ShouldBe(HttpStatusCode.OK);
        (await Root(server, HttpMethod.Delete, "/db/db1/users/paul")).ShouldBe((HttpStatusCode.BadRequest, "User paul doesn't exist"));
        (await Root(server, HttpMethod.Get, "/db/db1/users")).Body.ShouldBe("[]");
    }

    [Theory]
    [InlineData("""{"name":"u","password":"secret1","readFrom":".*"}""", 400, "You have to provide read and write permissions")]
    [InlineData("""{"name":"","password":"secret1"}""", 400, "Username cannot be empty")]
    [InlineData("""{"name":"u%","password":"secret1"}""", 400, "u% isn't a valid username")]
    [InlineData("""{"name":"u","password":"abc"}""", 400, "Password must be more than 4 and less than 56 characters")]
    [InlineData("""{"name":"u","password":"secret1","readFrom":"(","writeTo":".*"}""", 400, "Invalid regex (:")]
    public async Task DatabaseUsers_CreateRejectsBadInput(string body, int status, string messageStart)
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateDatabaseAsync("db1");
        var (actualStatus, actualBody) = await Root(server, HttpMethod.Post, "/db/db1/users", body);
        ((int)actualStatus).ShouldBe(status);
        actualBody.ShouldStartWith(messageStart);
    }

    [Fact]
    public async Task DatabaseUsers_PlainUserMayChangeOnlyItsOwnPassword()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateDatabaseAsync("db1");
        await Root(server, HttpMethod.Post, "/db/db1/users", """{"name":"a","password":"apass1"}""");
        await Root(server, HttpMethod.Post, "/db/db1/users", """{"name":"b","password":"bpass1"}""");
        (await SendAsync(server, HttpMethod.Post, TestServer.Auth("/db/db1/users/a", "a", "apass1"), """{"password":"apass2"}""")).Status.ShouldBe(HttpStatusCode.OK);
        (await SendAsync(server, HttpMethod.Post, TestServer.Auth("/db/db1/users/b", "a", "apass2"), """{"password":"hacked1"}"""))
            .ShouldBe((HttpStatusCode.Forbidden, "Insufficient permissions to change db user password for b on db1"));
        (await SendAsync(server, HttpMethod.Post, TestServer.Auth("/db/db1/users/a", "a", "apass2"), """{"password":"apass3","admin":true}"""))
            .ShouldBe((HttpStatusCode.Forbidden, "Insufficient permissions to grant db user admin privileges on db1"));
        (await SendAsync(server, HttpMethod.Get, TestServer.Auth("/db/db1/authenticate", "a", "apass3"))).Status.ShouldBe(HttpStatusCode.OK);
        (await SendAsync(server, HttpMethod.Get, TestServer.Auth("/db/db1/users", "a", "apass3")))
            .ShouldBe((HttpStatusCode.Forbidden, "Insufficient permissions to list db users on db1"));
    }

    [Fact]
    public async Task DatabaseUsers_DeletedAndRecreatedUserLosesTheOldPassword()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateDatabaseAsync("db1");
        await Root(server, HttpMethod.Post, "/db/db1/users", """{"name":"a","password":"oldpass1"}""");
        (await SendAsync(server, HttpMethod.Get, TestServer.Auth("/db/db1/authenticate", "a", "oldpass1"))).Status.ShouldBe(HttpStatusCode.OK);
        await Root(server, HttpMethod.Delete, "/db/db1/users/a");
        await Root(server, HttpMethod.Post, "/db/db1/users", """{"name":"a","password":"newpass1"}""");
        (await SendAsync(server, HttpMethod.Get, TestServer.Auth("/db/db1/authenticate", "a", "oldpass1"))).Status.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
