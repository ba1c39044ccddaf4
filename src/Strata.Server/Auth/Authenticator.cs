using Microsoft.AspNetCore.Http;
using Strata.Core;
using Strata.Storage.Meta;

namespace Strata.Server.Auth;

/// <summary>Who is calling: a cluster admin, or a user of one database.</summary>
public sealed record Principal(string Name, bool IsClusterAdmin, DatabaseUser? DatabaseUser)
{
    /// <summary>Cluster admins and admins of the database may administer it.</summary>
    public bool IsDatabaseAdmin => IsClusterAdmin || DatabaseUser is { IsAdmin: true };

    /// <summary>readFrom matches the series (cluster admins read everything).</summary>
    public bool CanRead(string series) => IsClusterAdmin || UserRules.Allows(DatabaseUser!.ReadFrom, series);

    /// <summary>writeTo matches the series (cluster admins write everything).</summary>
    public bool CanWrite(string series) => IsClusterAdmin || UserRules.Allows(DatabaseUser!.WriteTo, series);
}

/// <summary>
/// 0.8's three authentication modes (reference http-api.md §2.2): cluster admin only (CA), database user only (DU),
/// and database user falling back to cluster admin (DU→CA). Every failure is a 401 with 0.8's message.
/// </summary>
public sealed class Authenticator
{
    private readonly MetaStore _meta;
    private readonly PasswordHasher _hasher;

    public Authenticator(MetaStore meta, PasswordHasher hasher)
    {
        _meta = meta;
        _hasher = hasher;
    }

    public Principal ClusterAdmin(HttpRequest request)
    {
        var credentials = Credentials.From(request)
            ?? throw new StrataException(401, "Invalid database/username/password");
        return TryClusterAdmin(credentials) ?? throw new StrataException(401, "Invalid username/password");
    }

    public Principal DatabaseUser(HttpRequest request, string database)
    {
        var credentials = Credentials.From(request)
            ?? throw new StrataException(401, "Invalid database/username/password");
        return TryDatabaseUser(credentials, database) ?? throw new StrataException(401, "Invalid username/password");
    }

    public Principal DatabaseUserOrClusterAdmin(HttpRequest request, string database)
    {
        var credentials = Credentials.From(request)
            ?? throw new StrataException(401, "Invalid database/username/password");
        return TryDatabaseUser(credentials, database)
            ?? TryClusterAdmin(credentials)
            ?? throw new StrataException(401, "Invalid username/password");
    }

    private Principal? TryClusterAdmin(Credentials credentials)
    {
        var admin = _meta.FindClusterAdmin(credentials.User);
        return _hasher.Verify(credentials.Password, admin?.PasswordHash) ? new Principal(admin!.Name, true, null) : null;
    }

    private Principal? TryDatabaseUser(Credentials credentials, string database)
    {
        var user = _meta.FindDatabaseUser(database, credentials.User);
        if (user is null)
        {
            return null; // the cluster-admin attempt that follows pays the bcrypt cost
        }

        return _hasher.Verify(credentials.Password, user.PasswordHash) ? new Principal(user.Name, false, user) : null;
    }
}
