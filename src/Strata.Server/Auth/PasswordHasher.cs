using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Strata.Server.Auth;

/// <summary>
/// bcrypt hashing (cost 10, as 0.8) with a verification cache: a password that verified against a stored hash is
/// remembered as SHA-256(hash ‖ password), so later requests skip bcrypt's ~50 ms. The cache is keyed by the stored
/// hash, so any change of hash (password change, delete and re-create) invalidates it (Strata choice, §2.3).
/// Comparisons are constant-time. Requests that arrive together with the same credentials before the cache knows
/// them share one bcrypt run instead of each running their own (a client opening several connections at once, or
/// many clients reconnecting after a restart, had cost one run per request: the four connections of a W load ran
/// four at once on two cores).
/// </summary>
public sealed class PasswordHasher
{
    public const int WorkFactor = 10;

    private const int MaxCacheEntries = 10_000;

    /// <summary>Used for unknown users so that a failed login costs the same whether or not the user exists.</summary>
    private static readonly string DummyHash = BCrypt.Net.BCrypt.HashPassword("strata-dummy-password", WorkFactor);

    private readonly ConcurrentDictionary<string, byte[]> _verified = new(StringComparer.Ordinal);

    /// <summary>bcrypt runs in progress, by stored hash and digest of the password tried.</summary>
    private readonly ConcurrentDictionary<string, Lazy<bool>> _inFlight = new(StringComparer.Ordinal);

    private long _bcryptRuns;

    /// <summary>bcrypt verifications run so far (not answered from the cache or by a run in progress).</summary>
    internal long BcryptRuns => Interlocked.Read(ref _bcryptRuns);

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
        if (IsCached(hash, digest))
        {
            return true;
        }

        var key = hash + "\n" + Convert.ToHexString(digest);
        var run = _inFlight.GetOrAdd(key, static (_, state) => new Lazy<bool>(
            () => state.Self.RunBcrypt(state.Password, state.Hash, state.Digest), LazyThreadSafetyMode.ExecutionAndPublication),
            (Self: this, Password: password, Hash: hash, Digest: digest));
        try
        {
            return run.Value;
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<string, Lazy<bool>>(key, run));
        }
    }

    private bool IsCached(string hash, byte[] digest) =>
        _verified.TryGetValue(hash, out var known) && CryptographicOperations.FixedTimeEquals(known, digest);

    private bool RunBcrypt(string password, string hash, byte[] digest)
    {
        // A run that finished between this request's look at the cache and its arrival here has answered it already.
        if (IsCached(hash, digest))
        {
            return true;
        }

        Interlocked.Increment(ref _bcryptRuns);
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
