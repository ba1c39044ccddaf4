using System.Runtime.InteropServices;

namespace Strata.Core;

/// <summary>The type of one stored column value. 0.8 has no schema: the type is per value.</summary>
public enum FieldType : byte
{
    /// <summary>No value; in storage a null entry deletes the value stored under the same (time, seq).</summary>
    Null = 0,
    Bool = 1,
    Int64 = 2,
    Double = 3,
    String = 4,
}

/// <summary>
/// One column value: null, bool, int64, double or string, without boxing.
/// </summary>
/// <remarks>
/// Layout: the numeric payload lives in <see cref="_bits"/> (bool as 0/1, int64 as is, double as its IEEE bits);
/// a string lives in <see cref="_string"/>.
/// </remarks>
[StructLayout(LayoutKind.Auto)]
public readonly struct FieldValue : IEquatable<FieldValue>
{
    private readonly long _bits;
    private readonly string? _string;

    public FieldType Type { get; }

    private FieldValue(FieldType type, long bits, string? text)
    {
        Type = type;
        _bits = bits;
        _string = text;
    }

    public static FieldValue Null => default;

    public static FieldValue FromBool(bool value) => new(FieldType.Bool, value ? 1 : 0, null);

    public static FieldValue FromInt64(long value) => new(FieldType.Int64, value, null);

    public static FieldValue FromDouble(double value) => new(FieldType.Double, BitConverter.DoubleToInt64Bits(value), null);

    public static FieldValue FromString(string value) => new(FieldType.String, 0, value);

    /// <summary>Rebuilds a value from <see cref="Type"/>, <see cref="RawBits"/> and, for a string, its text.</summary>
    public static FieldValue FromRaw(FieldType type, long bits, string? text) =>
        type == FieldType.String ? new(type, 0, text ?? string.Empty) : new(type, bits, null);

    public bool IsNull => Type == FieldType.Null;

    public bool AsBool => _bits != 0;

    public long AsInt64 => _bits;

    public double AsDouble => BitConverter.Int64BitsToDouble(_bits);

    public string AsString => _string ?? string.Empty;

    /// <summary>The raw 64-bit payload (bool 0/1, int64, or double bits).</summary>
    public long RawBits => _bits;

    /// <summary>True for int64 and double values.</summary>
    public bool IsNumeric => Type is FieldType.Int64 or FieldType.Double;

    /// <summary>The value as a double for int64 or double values.</summary>
    public double ToDouble() => Type == FieldType.Int64 ? _bits : AsDouble;

    public bool Equals(FieldValue other) =>
        Type == other.Type && _bits == other._bits && string.Equals(_string, other._string, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is FieldValue other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Type, _bits, _string);

    public static bool operator ==(FieldValue left, FieldValue right) => left.Equals(right);

    public static bool operator !=(FieldValue left, FieldValue right) => !left.Equals(right);

    public override string ToString() => Type switch
    {
        FieldType.Null => "null",
        FieldType.Bool => AsBool ? "true" : "false",
        FieldType.Int64 => _bits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        FieldType.Double => AsDouble.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        _ => AsString,
    };
}
