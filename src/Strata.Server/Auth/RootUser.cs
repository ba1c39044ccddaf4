using Microsoft.Extensions.Logging;
using Strata.Server.Config;
using Strata.Storage.Meta;

namespace Strata.Server.Auth;

/// <summary>The initial cluster admin (reference http-api.md §2.4).</summary>
public static partial class RootUser
{
    public const string Name = "root";

    /// <summary>Creates root on first start (empty metadata) and re-creates it with <c>-reset-root</c>.</summary>
    public static void EnsureRoot(MetaStore meta, StrataOptions options, ILogger logger)
    {
        if (meta.IsEmpty || options.ResetRoot)
        {
            meta.UpsertClusterAdmin(new ClusterAdmin(Name, PasswordHasher.Hash(options.InitialRootPassword)));
            if (options.InitialRootPassword == "root")
            {
                DefaultPassword(logger);
            }
            else
            {
                Created(logger);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created cluster admin 'root' with the default password 'root': change it (POST /cluster_admins/root) or set INFLUXDB_INIT_PWD before the first start")]
    private static partial void DefaultPassword(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created cluster admin 'root' with the password from INFLUXDB_INIT_PWD")]
    private static partial void Created(ILogger logger);
}
