using System.Text;
using CsCheck;

namespace Strata.Core.Tests;

/// <summary>Names decoded from UTF-8 once and then shared, exactly as a plain decode would give them.</summary>
public class NameInternerTests
{
    [Fact]
    public void ARepeatedName_IsTheSameInstanceAndEqualsItsDecoding()
    {
        var names = new NameInterner();
        var first = names.TryIntern("cpu.host1"u8);
        first.ShouldBe("cpu.host1");
        names.TryIntern("cpu.host1"u8).ShouldBeSameAs(first);
        names.TryIntern("cpu.host2"u8).ShouldBe("cpu.host2");
        names.TryIntern("cpu.host"u8).ShouldBe("cpu.host");
        names.TryIntern(""u8).ShouldBe("");
    }

    [Fact]
    public void NonAsciiNames_DecodeAsUtf8()
    {
        var names = new NameInterner();
        var utf8 = Encoding.UTF8.GetBytes("température.°C.日本");
        names.TryIntern(utf8).ShouldBe("température.°C.日本");
        names.TryIntern(utf8).ShouldBe("température.°C.日本");
    }

    [Fact]
    public void InvalidUtf8AndOverlongNames_AreLeftToTheCaller()
    {
        var names = new NameInterner();
        names.TryIntern([0x63, 0xC3, 0x28]).ShouldBeNull();
        names.TryIntern([0x63, 0xC3, 0x28]).ShouldBeNull();
        names.TryIntern(new byte[NameInterner.MaxLength + 1]).ShouldBeNull();
    }

    [Fact]
    public void PastTheBound_NamesStillComeOutRight()
    {
        var names = new NameInterner();
        for (var i = 0; i < NameInterner.MaxNames + 100; i++)
        {
            names.TryIntern(Encoding.UTF8.GetBytes("s" + i)).ShouldBe("s" + i);
        }

        names.TryIntern("s5"u8).ShouldBe("s5");
    }

    [Fact]
    public void NamesInAnyOrder_ComeOutRight_AndTheSameInstanceEachTime()
    {
        // Names that are prefixes of one another and of equal length, asked for in repeated and in shuffled orders,
        // so that the guess of the name after the last one is right, wrong by a byte and wrong by length.
        string[] pool = ["a", "ab", "abc", "b", "ba", "cpu.host1", "cpu.host2", "cpu.host10", "température", ""];
        var orders = Gen.Int[0, pool.Length - 1].Array[0, 30].Array[1, 6];
        orders.Sample(rounds =>
        {
            var names = new NameInterner();
            var first = new Dictionary<string, string>();
            foreach (var round in rounds)
            {
                foreach (var pass in new[] { round, round })
                {
                    foreach (var i in pass)
                    {
                        var text = names.TryIntern(Encoding.UTF8.GetBytes(pool[i]));
                        text.ShouldBe(pool[i]);
                        first.TryAdd(pool[i], text!);
                        text.ShouldBeSameAs(first[pool[i]]);
                    }
                }
            }
        });
    }

    [Fact]
    public void ARepeatedOrder_ThatCrossesTheBound_StillComesOutRight()
    {
        var names = new NameInterner();
        var count = NameInterner.MaxNames + 10;
        for (var pass = 0; pass < 3; pass++)
        {
            for (var i = 0; i < count; i++)
            {
                names.TryIntern(Encoding.UTF8.GetBytes("s" + i)).ShouldBe("s" + i);
            }
        }
    }
}
