using Sop.Registry;

namespace Sop.Tests.Registry;

/// <summary>Runs the registry conformance suite against <see cref="InMemoryRegistry"/>.</summary>
public sealed class InMemoryRegistryConformanceTests : RegistryConformanceTests
{
    protected override IRegistry CreateRegistry() => new InMemoryRegistry();
}
