namespace Strata.Server.Config;

/// <summary>
/// Bad start-up input: a command-line flag, a configuration file or key, or an environment variable.
/// The message names what was wrong (<c>config key api.read-timeout: invalid duration "5x"</c>); the
/// host prints it to standard error and exits with <see cref="ExitCode"/>.
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string message, int exitCode = 1)
        : base(message) => ExitCode = exitCode;

    public ConfigException(string message, Exception inner, int exitCode = 1)
        : base(message, inner) => ExitCode = exitCode;

    /// <summary>
    /// The process exit status: 2 for command-line usage errors (unknown flag, missing or malformed
    /// flag value; the message then ends with the usage text, as Go's <c>flag</c> package prints it),
    /// 1 for everything else (0.8's start-up failures).
    /// </summary>
    public int ExitCode { get; }
}
