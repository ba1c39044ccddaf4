using System.Text;
using Strata.Core;

namespace Strata.Server.Protocol;

public static partial class SeriesJsonReader
{
    /// <summary>The plain-body scanner's direct path: points converted straight into the batch (see <see cref="TryReadDirect"/>).</summary>
    private ref partial struct PlainBody
    {
        /// <summary>
        /// True when <paramref name="body"/> is in the plain subset, every series object's members come as
        /// <c>name</c>, <c>columns</c>, <c>points</c> (what clients send), and every point converts without an error;
        /// <paramref name="batch"/> then holds what <see cref="Convert"/> would have made of it. The points go straight
        /// into the batch as they are read, with no cells in between. False at anything else, valid or not, with the
        /// batch half filled: the caller clears it and reads the body the two-step way, which has the error messages.
        /// </summary>
        /// <remarks>
        /// The cells in between and the second pass over them were a quarter of the parser's time on W's bodies
        /// (425 → 319 µs, SeriesJsonReaderBenchmarks).
        /// </remarks>
        public static bool TryReadDirect(ReadOnlySpan<byte> body, TimePrecision precision, WriteBatch batch, Scratch scratch) =>
            new PlainBody(body).TryReadSeriesArray(scratch, batch, precision.MicrosPerUnit());

        /// <summary>A series object after its <c>{</c>: name, columns and points in that order, or name and columns alone.</summary>
        private bool TryReadDirectSeries(long scale, WriteBatch batch, Scratch scratch)
        {
            if (!TryReadKey("name"u8) || !TryReadString(out var nameText) || Separator((byte)'}') != true)
            {
                return false;
            }

            var name = GoJsonStrings.Name(nameText);
            if (!TryReadKey("columns"u8) || !TryReadDirectColumns(scratch))
            {
                return false;
            }

            var more = Separator((byte)'}');
            if (more != true)
            {
                // No points member: nothing to write, as in Convert.
                return more == false;
            }

            return TryReadKey("points"u8) && TryReadDirectPoints(name, scale, batch, scratch) && Separator((byte)'}') == false;
        }

        /// <summary>
        /// The columns array into the scratch's direct lists, with where time and sequence_number are; a series
        /// that repeats the previous one's array byte for byte keeps its layout.
        /// </summary>
        private bool TryReadDirectColumns(Scratch scratch)
        {
            if (TrySkipRepeatedColumns(out var start))
            {
                return true;
            }

            var columns = scratch.DirectColumns;
            columns.Clear();
            if (!TryReadNewColumns(start, columns))
            {
                return false;
            }

            _timeIndex = columns.IndexOf("time");
            _seqIndex = columns.IndexOf("sequence_number");
            _columnCount = columns.Count;
            var values = scratch.DirectValueColumns;
            values.Clear();
            AddValueColumns(columns, values);

            // Convert refuses these once the series has points; the two-step read gives its message.
            _layoutWritable = values.Count > 0 && !HasDuplicate(columns);
            return true;
        }

        /// <summary>The points array, each point converted into a new series of <paramref name="batch"/> as <see cref="Convert"/> does.</summary>
        private bool TryReadDirectPoints(string name, long scale, WriteBatch batch, Scratch scratch)
        {
            if (!TrySkip((byte)'['))
            {
                return false;
            }

            if (TrySkip((byte)']'))
            {
                return true;
            }

            if (!_layoutWritable)
            {
                return false;
            }

            var target = batch.AddSeries(name);
            target.Columns.AddRange(scratch.DirectValueColumns);
            var clientSeq = _seqIndex >= 0;
            while (true)
            {
                if (!TrySkip((byte)'['))
                {
                    return false;
                }

                var time = SeriesPoints.NoTime;
                var seq = SeriesPoints.NoSeq;
                for (var c = 0; c < _columnCount; c++)
                {
                    if ((c > 0 && NextSignificant() != ',') || !TryReadCell(out var cell))
                    {
                        return false;
                    }

                    if (c == _timeIndex)
                    {
                        if (!TryConvertTime(cell, scale, out time))
                        {
                            return false;
                        }
                    }
                    else if (c == _seqIndex)
                    {
                        // ConvertSequence also takes whole floats; they are rare enough to leave to it.
                        if (cell.Kind != CellKind.Integer || cell.Integer < 0)
                        {
                            return false;
                        }

                        seq = cell.Integer;
                    }
                    else if (cell.Kind == CellKind.Float)
                    {
                        // Numbers stored as a value whose text is a known null: no write barrier for the store.
                        target.Values.Add(FieldValue.FromDouble(cell.Float));
                    }
                    else if (cell.Kind == CellKind.Integer)
                    {
                        target.Values.Add(FieldValue.FromInt64(cell.Integer));
                    }
                    else
                    {
                        target.Values.Add(ConvertValue(cell));
                    }
                }

                if (NextSignificant() != ']')
                {
                    return false;
                }

                target.Times.Add(time);
                target.Seqs.Add(seq);
                target.ClientSeq.Add(clientSeq);
                var more = Separator((byte)']');
                if (more != true)
                {
                    return more == false;
                }
            }
        }

        /// <summary><see cref="ConvertTime"/> for a number whose time is safely inside the range; false for anything else.</summary>
        private static bool TryConvertTime(in RawCell cell, long scale, out long time)
        {
            time = 0;
            if (cell.Kind is not (CellKind.Integer or CellKind.Float))
            {
                return false;
            }

            // As NumberOrThrow: an integer cell counts as its double.
            var truncated = Math.Truncate(cell.Kind == CellKind.Integer ? cell.Integer : cell.Float);
            if (!(Math.Abs(truncated) < 9.2E18 / scale))
            {
                return false;
            }

            time = (long)truncated * scale;
            return true;
        }

        /// <summary>A member key equal to <paramref name="expected"/> in any letter case (as Go matches them), and its colon.</summary>
        private bool TryReadKey(ReadOnlySpan<byte> expected) =>
            TryReadString(out var key) && Ascii.EqualsIgnoreCase(key, expected) && TrySkip((byte)':');
    }
}
