using Strata.Server.Auth;

namespace Strata.Server.Tests.Security;

/// <summary>bcrypt verification with its cache: right and wrong passwords, and how often bcrypt actually runs.</summary>
public class PasswordHasherTests
{
    private static readonly string RootHash = PasswordHasher.Hash("root");

    [Fact]
    public void Verify_AcceptsTheRightPassword_RejectsOthers_AndAnUnknownUser()
    {
        var hasher = new PasswordHasher();
        hasher.Verify("root", RootHash).ShouldBeTrue();
        hasher.Verify("root", RootHash).ShouldBeTrue();
        hasher.Verify("Root", RootHash).ShouldBeFalse();
        hasher.Verify("", RootHash).ShouldBeFalse();
        hasher.Verify("root", null).ShouldBeFalse();
        hasher.Verify("root", "not a bcrypt hash").ShouldBeFalse();
    }

    [Fact]
    public void AVerifiedPassword_IsAnsweredFromTheCache_AWrongOneRunsBcryptEveryTime()
    {
        var hasher = new PasswordHasher();
        hasher.Verify("root", RootHash).ShouldBeTrue();
        hasher.Verify("root", RootHash).ShouldBeTrue();
        hasher.BcryptRuns.ShouldBe(1);

        hasher.Verify("wrong", RootHash).ShouldBeFalse();
        hasher.Verify("wrong", RootHash).ShouldBeFalse();
        hasher.BcryptRuns.ShouldBe(3);
    }

    [Fact]
    public async Task ConcurrentRequestsWithTheSameCredentials_ShareOneBcryptRun()
    {
        var hasher = new PasswordHasher();
        const int Requests = 8;
        using var start = new Barrier(Requests);
        var results = await Task.WhenAll(Enumerable.Range(0, Requests).Select(_ => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait(TestContext.Current.CancellationToken);
                return hasher.Verify("root", RootHash);
            },
            TestContext.Current.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default)));

        results.ShouldAllBe(ok => ok);
        hasher.BcryptRuns.ShouldBe(1);
    }

    [Fact]
    public async Task ConcurrentRequestsWithDifferentPasswords_AreEachChecked()
    {
        var hasher = new PasswordHasher();
        string[] passwords = ["root", "wrong", "root", "Root"];
        using var start = new Barrier(passwords.Length);
        var results = await Task.WhenAll(passwords.Select(password => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait(TestContext.Current.CancellationToken);
                return hasher.Verify(password, RootHash);
            },
            TestContext.Current.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default)));

        results.ShouldBe([true, false, true, false]);
        hasher.BcryptRuns.ShouldBe(3);
    }
}
