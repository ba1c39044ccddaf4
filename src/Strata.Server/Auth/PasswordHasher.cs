using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Strata.Server.Auth;

/// <summary>
/// bcrypt hashing (cost 10, as 0.8) with a verification cache: a password that verified against a stored hash is
/// remembered as SHA-256(hash ‖ password), so later requests skip bcrypt's ~50 ms. The cache is keyed by the stored
/// hash, so any change of hash (password change, delete and re-create) invalidates it (Strata choice, §2.3).
/// Comparisons are constant-time.
/// </summary>
public sealed class PasswordHasher
{
    public const int WorkFactor = 10;

    private const int MaxCacheEntries = 10_000;

    /// <summary>Used for unknown users so that a failed login costs the same whether or not the user exists.</summary>
    private static readonly string DummyHash = BCrypt.Net.BCrypt.HashPassword("strata-dummy-password", WorkFactor);

    private readonly ConcurrentDictionary<string, byte[]> _verified = new(StringComparer.Ordinal);

    public static string Hash(string password) => BCrypt.Net.BCrypt.HashPassword(password, WorkFactor);

    /// <summary>True when <paramref name="password"/> matches <paramref name="hash"/>; a null hash (unknown user) never matches but costs the same.</summary>
    public bool Verify(string password, string? hash)
    {
        if (hash is null || hash.Length == 0)
        {
            BCrypt.Net.BCrypt.Verify(password, DummyHash);
            return false;
        }

        var digest = Digest(hash, password);
        if (_verified.TryGetValue(hash, out var known) && CryptographicOperations.FixedTimeEquals(known, digest))
        {
            return true;
        }

        bool ok;
        try
        {
            ok = BCrypt.Net.BCrypt.Verify(password, hash);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            ok = false;
        }

        if (ok)
        {
            if (_verified.Count >= MaxCacheEntries)
            {
                _verified.Clear();
            }

            _verified[hash] = digest;
        }

        return ok;
    }

    private static byte[] Digest(string hash, string password) =>
        SHA256.HashData(Encoding.UTF8.GetBytes(hash + "\0" + password));
}
