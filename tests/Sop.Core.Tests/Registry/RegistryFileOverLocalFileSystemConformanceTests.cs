using Sop.Storage;

namespace Sop.Tests.Registry;

/// <summary>Runs the registry conformance suite against <see cref="Sop.Registry.RegistryFile"/> on the real disk.</summary>
public sealed class RegistryFileOverLocalFileSystemConformanceTests() : RegistryFileConformanceTests(LocalFileSystem.Instance);
