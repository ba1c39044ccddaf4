using Strata.Core;
using Strata.Query.Parsing.Ast;

namespace Strata.Query.Execution.Functions;

/// <summary>
/// A function of an aggregate select list, validated and bound (query-language.md §7.5): its output columns, the
/// argument the engine evaluates for every point, and a factory of per-group states.
/// </summary>
public abstract class AggregateFunction
{
    protected AggregateFunction(string column, Expr? argument)
        : this([column], argument)
    {
    }

    protected AggregateFunction(string[] columns, Expr? argument)
    {
        Columns = columns;
        Argument = argument;
    }

    /// <summary>The output column names (the alias when one is given; histogram has two).</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>
    /// The value the function consumes for each point: a column, an arithmetic expression of columns, or null when
    /// the function needs no value (count). A <c>*</c> argument reads no column, so it is null as well.
    /// </summary>
    public Expr? Argument { get; }

    /// <summary>True when whole blocks can be folded in from their statistics (count, sum, min, max, mean).</summary>
    public virtual bool FoldsBlockStatistics => false;

    /// <summary>True when folding a block needs its exact sum (sum, mean), not just its count, min and max.</summary>
    public virtual bool FoldsBlockSums => false;

    public abstract AggregateState NewState();
}

/// <summary>
/// The running state of one function for one group (one time bucket and one combination of group-by values).
/// Points arrive in query order (newest first unless <c>order asc</c>).
/// </summary>
public abstract class AggregateState
{
    /// <summary>Adds one point: its time (µs) and the function argument's value in it (null when absent).</summary>
    public abstract void Add(long time, FieldValue value);

    /// <summary>Adds a whole block of numeric values from its statistics, without decoding it.</summary>
    public virtual void AddBlock(in BlockSummary block) =>
        throw new InvalidOperationException("BUG: " + GetType().Name + " cannot fold block statistics");

    /// <summary>
    /// Appends this group's result rows (each with one value per output column). A state that has seen no point
    /// gives the bucket's empty value (the <c>fill</c> value, or null).
    /// </summary>
    public abstract void Emit(List<FieldValue[]> rows, FieldValue empty);

    protected static void EmitOne(List<FieldValue[]> rows, FieldValue value) => rows.Add([value]);
}

/// <summary>
/// The statistics of one run of numeric values: how many, their minimum and maximum, and their exact sum — not
/// computed, and not to be read, when no function of the query folds sums (<see cref="AggregateFunction.FoldsBlockSums"/>).
/// </summary>
public readonly ref struct BlockSummary
{
    private readonly ref readonly ExactSum _sum;

    public BlockSummary(long count, ref readonly ExactSum sum, double min, double max)
    {
        Count = count;
        _sum = ref sum;
        Min = min;
        Max = max;
    }

    public long Count { get; }

    public double Min { get; }

    public double Max { get; }

    public ref readonly ExactSum Sum => ref _sum;
}
