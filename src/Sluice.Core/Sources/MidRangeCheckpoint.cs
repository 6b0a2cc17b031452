namespace Sluice.Core.Sources;

/// <summary>Where a key-ordered range read may put a checkpoint owed by time, inside a range.</summary>
public enum MidRangeCheckpoint
{
    /// <summary>Nowhere: the key may repeat and its text cannot tell equal values apart (text under a collation); checkpoints follow ranges only.</summary>
    Never,
    /// <summary>After any row: the key is unique (it holds the primary key), so "after this key" is exact.</summary>
    AfterAnyRow,
    /// <summary>Only between two rows whose keys differ: the key (a cursor alone) repeats, and its text compares exactly.</summary>
    WhereTheKeyChanges,
}
