using Apache.Arrow;
using Sluice.Core.Catalog;
using Sluice.Core.State;

namespace Sluice.Core.Messages;

/// <summary>What flows from a source to a destination: Airbyte's message types, with records grouped in Arrow batches.</summary>
public abstract record SourceMessage;

/// <summary>Rows of one stream. The batch's schema is the stream's selected columns, in order.</summary>
public sealed record RecordBatchMessage(StreamDescriptor Stream, RecordBatch Batch) : SourceMessage;

/// <summary>A position the source can resume from once everything before it is committed.</summary>
public sealed record CheckpointMessage(Checkpoint Checkpoint) : SourceMessage;

public enum LogLevel { Trace, Debug, Info, Warn, Error, Fatal }

public sealed record LogMessage(LogLevel Level, string Text) : SourceMessage;

public enum StreamStatus { Started, Running, Complete, Incomplete }

/// <summary>Airbyte's STREAM_STATUS trace: a stream started or finished. Destinations use Complete to finish a table (swap, dedup).</summary>
public sealed record StreamStatusMessage(StreamDescriptor Stream, StreamStatus Status) : SourceMessage;

/// <summary>Airbyte's ESTIMATE trace, for progress: rows and bytes the source expects to read.</summary>
public sealed record EstimateMessage(StreamDescriptor Stream, long? Rows, long? Bytes) : SourceMessage;
