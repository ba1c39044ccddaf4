using System.Globalization;
using System.Text;
using CsCheck;
using Strata.Core;
using Strata.Server.Protocol;

namespace Strata.Server.Tests.Protocol;

/// <summary>
/// The write parser reads plain bodies with its own scanner (straight into the batch, or through cells when the
/// members come in another order) and everything else with <c>Utf8JsonReader</c>. Whatever the body — well formed,
/// near misses, or broken anywhere — all three ways must give the same batch, bit for bit, or the same error.
/// </summary>
public class SeriesJsonReaderPlainPathTests
{
    private static readonly string[] Mutations = ["delete", "duplicate", "space", "quote", "comma", "bracket", "brace", "digit", "dot", "e", "minus", "backslash", "high"];

    private static readonly string[] ColumnNames = ["time", "sequence_number", "value", "c0", "c1", "time"];

    [Fact]
    public void GeneratedBodies_ReadTheSameOnBothPaths() =>
        BodyGen.Sample(body => Compare(body), iter: 3_000);

    [Fact]
    public void GeneratedBodiesWithOneByteChanged_ReadTheSameOnBothPaths() =>
        Gen.Select(BodyGen, Gen.Int, Gen.Int[0, Mutations.Length - 1].Select(i => Mutations[i])).Sample((body, where, mutation) =>
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            if (bytes.Length == 0)
            {
                return;
            }

            var at = (int)((uint)where % (uint)bytes.Length);
            Compare(Mutate(bytes, at, mutation));
        }, iter: 5_000);

    [Theory]
    [InlineData("""[{"name":"cpu","columns":["time","v"],"points":[[1,0.1],[2,-0.0],[3,1e2],[4,1E-2],[5,01]]}]""")]
    [InlineData("""[{"name":"cpu","columns":["v"],"points":[[9007199254740993.5],[0.30000000000000004441],[123456789012345678901234]]}]""")]
    [InlineData("""[{"name":"cpu","columns":["v"],"points":[[-9223372036854775808],[9223372036854775807],[9223372036854775808],[-]]}]""")]
    [InlineData("""[{"name":"c\u0070u","columns":["v"],"points":[[1]]}]""")]
    [InlineData("""[{"name":"cpü","columns":["v"],"points":[["é"]]}]""")]
    [InlineData("""[{"NAME":"cpu","Columns":["v"],"POINTS":[[1]]}]""")]
    [InlineData("""[{"name":"cpu","columns":["v"],"points":[[1]],"extra":{"a":[1,2]}}]""")]
    [InlineData("""[{"name":"cpu","columns":["v"],"points":[[1]]}] trailing""")]
    [InlineData("""[{"name":"cpu","columns":["v"],"points":[[1]]}]   """)]
    [InlineData(""" [ { "name" : "cpu" , "columns" : [ "time" , "v" ] , "points" : [ [ 1 , true ] , [ 2 , false ] , [ 3 , null ] ] } ] """)]
    [InlineData("""[{"name":"cpu","columns":["v"],"points":[null,[1]]}]""")]
    [InlineData("""[{"name":"a","columns":["v","w"],"points":[[1,2]]},{"name":"b","columns":["v","w"],"points":[[3,4]]},{"name":"c","columns":["v","x"],"points":[[5,6]]}]""")]
    [InlineData("""[{"name":"a","columns":["v"],"points":[[1]]},{"name":"b","columns":["v"] ,"points":[[3]]},{"name":"c","columns":["v"],"points":[[5,6]]}]""")]
    [InlineData("""[{"name":"cpu","columns":["time","v"],"points":[[9223372036854774,1],[9223372036854775,2],[9223372036854776,3],[-9223372036854776,4]]}]""")]
    [InlineData("""[{"name":"a","columns":["v"]},{"name":"b","columns":["v"],"points":[]},{"name":"c","columns":["time"],"points":[]}]""")]
    [InlineData("""[{"name":"a","columns":["time"],"points":[[1]]}]""")]
    [InlineData("""[{"name":"a","columns":["v","v"],"points":[[1,2]]}]""")]
    [InlineData("""[{"name":"a","columns":["v"],"points":[[1]]},{"columns":["v"],"name":"b","points":[[2]]}]""")]
    [InlineData("""[{"name":"a","columns":["v"],"points":[[1],[]]}]""")]
    [InlineData("""[{"name":"a","columns":["time","v"],"points":[["1",1]]}]""")]
    [InlineData("""[{}]""")]
    [InlineData("""[]""")]
    [InlineData("""[{"name":"cpu","columns":["time","sequence_number","v"],"points":[[1.9,3,1],[2,4.5,2]]}]""")]
    public void EdgeBodies_ReadTheSameOnBothPaths(string body) => Compare(Encoding.UTF8.GetBytes(body));

    private static byte[] Mutate(byte[] bytes, int at, string mutation)
    {
        var list = bytes.ToList();
        switch (mutation)
        {
            case "delete": list.RemoveAt(at); break;
            case "duplicate": list.Insert(at, bytes[at]); break;
            case "high": list[at] = 0xC3; break;
            default:
                var b = mutation switch
                {
                    "space" => (byte)' ',
                    "quote" => (byte)'"',
                    "comma" => (byte)',',
                    "bracket" => (byte)']',
                    "brace" => (byte)'}',
                    "digit" => (byte)'7',
                    "dot" => (byte)'.',
                    "e" => (byte)'e',
                    "minus" => (byte)'-',
                    _ => (byte)'\\',
                };
                list.Insert(at, b);
                break;
        }

        return [.. list];
    }

    /// <summary>Bodies of the shape collectors send, with the variations the scanner must get right.</summary>
    private static readonly Gen<string> BodyGen =
        Gen.Select(Gen.Int[0, 6], Gen.Int[0, 4], Gen.Int[0, 6], Gen.Bool, Gen.Int).Select((series, columns, points, spaces, seed) =>
        {
            var random = new Random(seed);
            var ws = spaces ? " " : string.Empty;
            var body = new StringBuilder("[").Append(ws);
            for (var s = 0; s < series; s++)
            {
                var names = Enumerable.Range(0, columns).Select(_ => ColumnNames[random.Next(ColumnNames.Length)]).ToList();
                body.Append(s == 0 ? string.Empty : "," + ws).Append('{');
                var members = new List<string>
                {
                    $"\"{(random.Next(8) == 0 ? "Name" : "name")}\":{ws}\"cpu.host{random.Next(3)}\"",
                    $"\"columns\":{ws}[{string.Join("," + ws, names.Select(n => $"\"{n}\""))}]",
                    $"\"points\":{ws}[{string.Join("," + ws, Enumerable.Range(0, points).Select(_ => Point(random, names.Count + (random.Next(20) == 0 ? 1 : 0), ws)))}]",
                };
                if (random.Next(4) == 0)
                {
                    members.Reverse();
                }

                body.AppendJoin("," + ws, members).Append('}');
            }

            return body.Append(ws).Append(']').ToString();
        });

    private static string Point(Random random, int cells, string ws) =>
        "[" + string.Join("," + ws, Enumerable.Range(0, cells).Select(_ => Cell(random))) + "]";

    private static string Cell(Random random) => random.Next(16) switch
    {
        0 => "null",
        1 => "true",
        2 => "false",
        3 => $"\"text{random.Next(10)}\"",
        4 => random.NextInt64(long.MinValue, long.MaxValue).ToString(CultureInfo.InvariantCulture),
        5 => (random.NextDouble() * Math.Pow(10, random.Next(-30, 30))).ToString("R", CultureInfo.InvariantCulture),
        6 => "-0.0",
        7 => "0",
        8 => $"{random.Next(0, 100)}.{new string('3', random.Next(1, 30))}",
        9 => random.Next(1_500_000_000, 1_600_000_000).ToString(CultureInfo.InvariantCulture) + "000",
        _ => Math.Round((random.NextDouble() - 0.5) * 200, random.Next(0, 4)).ToString(CultureInfo.InvariantCulture),
    };

    private static void Compare(byte[] body)
    {
        var general = Describe(body, SeriesJsonReader.ReadPath.Utf8JsonReader);
        Describe(body, SeriesJsonReader.ReadPath.PlainCells).ShouldBe(general, Encoding.UTF8.GetString(body));
        Describe(body, SeriesJsonReader.ReadPath.Fastest).ShouldBe(general, Encoding.UTF8.GetString(body));
    }

    private static void Compare(string body) => Compare(Encoding.UTF8.GetBytes(body));

    private static string Describe(byte[] body, SeriesJsonReader.ReadPath path) => WriteBatchText.Describe(() =>
    {
        var batch = new WriteBatch();
        SeriesJsonReader.Read(body, TimePrecision.Milliseconds, batch, path);
        return batch;
    });
}
