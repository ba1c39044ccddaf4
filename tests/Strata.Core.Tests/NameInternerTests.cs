using System.Text;

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
}
