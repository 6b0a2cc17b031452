namespace Sluice.Ui.Tests;

/// <summary>All UI tests share one host and one browser: starting Chromium per test would cost more than the tests.</summary>
[CollectionDefinition(Name)]
public sealed class UiCollection : ICollectionFixture<UiHost>
{
    public const string Name = "ui";
}
