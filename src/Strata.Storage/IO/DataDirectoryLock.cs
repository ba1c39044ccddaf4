namespace Strata.Storage.IO;

/// <summary>
/// An exclusive lock on the data directory (an advisory <c>flock</c> on its <c>LOCK</c> file, held while the engine is
/// open). A second process on the same directory would replay, flush and delete files under the first one's feet;
/// it is refused before it reads anything.
/// </summary>
internal sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = "LOCK";

    private readonly FileStream _file;

    private DataDirectoryLock(FileStream file) => _file = file;

    public static DataDirectoryLock Acquire(string directory)
    {
        var path = Path.Combine(directory, FileName);
        try
        {
            // FileShare.None takes flock(LOCK_EX | LOCK_NB) on Unix, so a second holder fails at once.
            return new DataDirectoryLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e)
        {
            throw new IOException($"data directory {directory} is in use by another Strata process: cannot lock {path} ({e.Message})", e);
        }
    }

    public void Dispose() => _file.Dispose();
}
