namespace Strata.Storage.Tests.Engine;

public sealed class DataDirectoryLockTests
{
    [Fact]
    public async Task Open_RefusesADataDirectoryAnotherEngineHolds()
    {
        using var fixture = new EngineFixture();
        await fixture.WriteAsync("cpu", (1_000_000, 1.5));
        var before = Directory.GetFileSystemEntries(fixture.Directory, "*", SearchOption.AllDirectories).Order().ToList();

        var e = Should.Throw<IOException>(() => StorageEngine.Open(fixture.Options));
        e.Message.ShouldContain($"data directory {fixture.Directory} is in use by another Strata process");
        Directory.GetFileSystemEntries(fixture.Directory, "*", SearchOption.AllDirectories).Order().ToList().ShouldBe(before, "the refused engine touched nothing");

        // Once the first engine closes, the directory opens normally and holds the data.
        fixture.Reopen();
        fixture.Read("cpu").ShouldHaveSingleItem().Value.AsDouble.ShouldBe(1.5);
    }
}
