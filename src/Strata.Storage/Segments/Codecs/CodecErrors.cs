using System.Diagnostics.CodeAnalysis;

namespace Strata.Storage.Segments.Codecs;

/// <summary>
/// Throw helpers of the block codecs, kept out of line so the decode loops stay small.
/// A corrupt or truncated block is bad data on disk, not a bug: it surfaces as
/// <see cref="InvalidDataException"/>, which the segment reader turns into a corrupt-block error.
/// </summary>
internal static class CodecErrors
{
    /// <summary>The most values one call accepts; blocks hold at most 65,535 (the block header's u16 count).</summary>
    public const int MaxValues = 1 << 24;

    [DoesNotReturn]
    public static void ThrowCorrupt(string codec, string reason) =>
        throw new InvalidDataException($"cannot decode {codec} block: {reason}");

    [DoesNotReturn]
    public static void ThrowTooManyValues(int count) =>
        throw new ArgumentOutOfRangeException(nameof(count), count, $"a block holds at most {MaxValues} values");

    [DoesNotReturn]
    public static void ThrowBug(string what) =>
        throw new InvalidOperationException($"BUG: {what}");
}
