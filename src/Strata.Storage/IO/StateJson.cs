using System.Text.Json.Serialization;
using Strata.Storage.Backup;
using Strata.Storage.Meta;

namespace Strata.Storage.IO;

/// <summary>
/// The JSON of the state files (docs/format/state-files.md), generated at build time: reading <c>meta.state</c> and
/// <c>checkpoint.state</c> with the reflection-based serializer cost ~110 ms of every start (most of an empty
/// server's engine open). Same options and output as <see cref="System.Text.Json.JsonSerializer"/>'s defaults.
/// </summary>
[JsonSerializable(typeof(MetaState))]
[JsonSerializable(typeof(Checkpoint))]
[JsonSerializable(typeof(BackupManifest))]
[JsonSerializable(typeof(DatabaseSnapshot))]
internal sealed partial class StateJson : JsonSerializerContext;
