namespace Strata.Core;

/// <summary>
/// An expected failure caused by client input or by data on disk, carrying the HTTP status and 0.8's wording.
/// Impossible states are bugs and throw <see cref="InvalidOperationException"/> instead.
/// </summary>
public class StrataException : Exception
{
    public StrataException(int status, string message)
        : base(message) => Status = status;

    public StrataException(int status, string message, Exception inner)
        : base(message, inner) => Status = status;

    /// <summary>The HTTP status this error maps to (400, 401, 403, 409, 500...).</summary>
    public int Status { get; }

    public static StrataException BadRequest(string message) => new(400, message);

    public static StrataException Forbidden(string message) => new(403, message);
}
