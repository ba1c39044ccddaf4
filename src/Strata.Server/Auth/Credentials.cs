using System.Text;
using Microsoft.AspNetCore.Http;
using Strata.Core;

namespace Strata.Server.Auth;

/// <summary>A user name and password as the client sent them.</summary>
public readonly record struct Credentials(string User, string Password)
{
    /// <summary>
    /// 0.8's extraction order (reference http-api.md §2.1): <c>u</c> and <c>p</c> when both are non-empty, else a
    /// Basic-style Authorization header (any scheme word), else none. A malformed header is 400.
    /// </summary>
    public static Credentials? From(HttpRequest request)
    {
        var u = First(request, "u");
        var p = First(request, "p");
        if (!string.IsNullOrEmpty(u) && !string.IsNullOrEmpty(p))
        {
            return new Credentials(u, p);
        }

        var header = request.Headers.Authorization;
        if (header.Count == 0 || header[0] is not { } value)
        {
            return null;
        }

        var parts = value.Split(' ');
        if (parts.Length != 2)
        {
            throw StrataException.BadRequest("Bad auth header");
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parts[1]));
        }
        catch (FormatException)
        {
            throw StrataException.BadRequest("Bad encoding");
        }

        var pair = decoded.Split(':');
        if (pair.Length != 2)
        {
            throw StrataException.BadRequest("Bad auth value");
        }

        return new Credentials(pair[0], pair[1]);
    }

    private static string? First(HttpRequest request, string name)
    {
        var values = request.Query[name];
        return values.Count == 0 ? null : values[0];
    }
}
