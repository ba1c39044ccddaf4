using Strata.Core;

namespace Strata.Query.Execution;

/// <summary>One row of a result: time (µs), sequence number (when the series has them) and the column values.</summary>
public readonly record struct ResultRow(long Time, long Seq, FieldValue[] Values);

/// <summary>
/// A piece of one output series (reference http-api.md §6.1): a name, the value columns (time and
/// sequence_number are added by the writer) and rows. Raw points carry sequence numbers; aggregates and list
/// results do not.
/// </summary>
public sealed class SeriesResult
{
    public SeriesResult(string name, List<string> columns, bool hasSequence)
    {
        Name = name;
        Columns = columns;
        HasSequence = hasSequence;
    }

    public string Name { get; }

    public List<string> Columns { get; }

    public bool HasSequence { get; }

    public List<ResultRow> Rows { get; } = [];
}

/// <summary>Receives result pieces in production order.</summary>
public interface IQueryOutput
{
    ValueTask EmitAsync(SeriesResult piece);
}
