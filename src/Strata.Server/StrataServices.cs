using Strata.Server.Auth;
using Strata.Server.Config;
using Strata.Server.Http;
using Strata.Storage;

namespace Strata.Server;

/// <summary>What request handlers share: options, the storage engine, authentication and the query service.</summary>
public sealed class StrataServices
{
    public StrataServices(StrataOptions options, StorageEngine engine, Authenticator auth, QueryResponder queries)
    {
        Options = options;
        Engine = engine;
        Auth = auth;
        Queries = queries;
    }

    public StrataOptions Options { get; }

    public StorageEngine Engine { get; }

    public Authenticator Auth { get; }

    public QueryResponder Queries { get; }
}
