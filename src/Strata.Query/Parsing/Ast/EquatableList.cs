using System.Collections;

namespace Strata.Query.Parsing.Ast;

/// <summary>
/// A read-only list with value equality, so that AST records holding lists compare by content
/// (parse(print(ast)) == ast in the round-trip tests).
/// </summary>
public sealed class EquatableList<T> : IReadOnlyList<T>, IEquatable<EquatableList<T>>
{
    public static readonly EquatableList<T> Empty = new([]);

    private readonly T[] _items;

    public EquatableList(IEnumerable<T> items) => _items = [.. items];

    private EquatableList(T[] items) => _items = items;

    /// <summary>Wraps <paramref name="items"/> unless it already is an <see cref="EquatableList{T}"/>.</summary>
    public static EquatableList<T> From(IReadOnlyList<T> items) => items switch
    {
        null => throw new ArgumentNullException(nameof(items)),
        EquatableList<T> list => list,
        { Count: 0 } => Empty,
        _ => new EquatableList<T>([.. items]),
    };

    public T this[int index] => _items[index];

    public int Count => _items.Length;

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public bool Equals(EquatableList<T>? other)
    {
        if (other is null || other._items.Length != _items.Length)
        {
            return false;
        }
        var comparer = EqualityComparer<T>.Default;
        for (int i = 0; i < _items.Length; i++)
        {
            if (!comparer.Equals(_items[i], other._items[i]))
            {
                return false;
            }
        }
        return true;
    }

    public override bool Equals(object? obj) => obj is EquatableList<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items)
        {
            hash.Add(item);
        }
        return hash.ToHashCode();
    }

    public override string ToString() => "[" + string.Join(", ", _items) + "]";
}
