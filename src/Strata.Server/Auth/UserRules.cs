using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Strata.Core;

namespace Strata.Server.Auth;

/// <summary>0.8's rules for user names, passwords and permission regexes (reference http-api.md §2.3, §2.5, §7.2).</summary>
public static class UserRules
{
    private static readonly ConcurrentDictionary<string, Regex?> Compiled = new(StringComparer.Ordinal);

    /// <summary>4 to 56 bytes inclusive, although the message says otherwise (0.8's rule and text).</summary>
    public static void CheckPassword(string password)
    {
        var length = Encoding.UTF8.GetByteCount(password);
        if (length < 4 || length > 56)
        {
            throw StrataException.BadRequest("Password must be more than 4 and less than 56 characters");
        }
    }

    public static void CheckName(string name)
    {
        if (name.Length == 0)
        {
            throw StrataException.BadRequest("Username cannot be empty");
        }

        if (name.Contains('%', StringComparison.Ordinal))
        {
            throw StrataException.BadRequest($"{name} isn't a valid username");
        }
    }

    /// <summary>Strata choice: a permission regex that does not compile is rejected when it is stored.</summary>
    public static void CheckRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        }
        catch (ArgumentException e)
        {
            throw StrataException.BadRequest($"Invalid regex {pattern}: {e.Message}");
        }
    }

    /// <summary>
    /// True when the unanchored permission regex matches the series name ("" allows everything, an invalid one
    /// nothing). Non-backtracking, so no pattern can stall the server.
    /// </summary>
    public static bool Allows(string pattern, string series)
    {
        if (pattern.Length == 0)
        {
            return true;
        }

        var regex = Compiled.GetOrAdd(pattern, static p =>
        {
            try
            {
                return new Regex(p, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
            }
            catch (ArgumentException)
            {
                return null;
            }
        });
        return regex?.IsMatch(series) ?? false;
    }
}
