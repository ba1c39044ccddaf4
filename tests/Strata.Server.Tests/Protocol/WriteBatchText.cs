using System.Globalization;
using System.Text;
using Strata.Core;

namespace Strata.Server.Tests.Protocol;

/// <summary>A write batch as text for comparing two reads of a body.</summary>
internal static class WriteBatchText
{
    /// <summary>The batch's full content (floats by their bits, so -0.0 and rounding show), or the error the read raised.</summary>
    public static string Describe(Func<WriteBatch> read)
    {
        WriteBatch batch;
        try
        {
            batch = read();
        }
        catch (StrataException e)
        {
            return $"error {e.Status}: {e.Message}";
        }

        var text = new StringBuilder();
        foreach (var s in batch.Series)
        {
            text.Append(s.Name).Append(" [").AppendJoin(',', s.Columns).Append("]:");
            for (var p = 0; p < s.PointCount; p++)
            {
                text.Append(" (").Append(s.Times[p]).Append(' ').Append(s.Seqs[p]).Append(' ').Append(s.ClientSeq[p]);
                for (var c = 0; c < s.Columns.Count; c++)
                {
                    var value = s.GetValue(p, c);
                    text.Append(' ').Append(value.Type).Append('=')
                        .Append(value.Type == FieldType.Double ? BitConverter.DoubleToInt64Bits(value.AsDouble).ToString(CultureInfo.InvariantCulture) : value.ToString());
                }

                text.Append(')');
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
