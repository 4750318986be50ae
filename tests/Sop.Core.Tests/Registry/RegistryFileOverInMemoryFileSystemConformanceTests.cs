using Sop.Storage;

namespace Sop.Tests.Registry;

/// <summary>Runs the registry conformance suite against <see cref="Sop.Registry.RegistryFile"/> on the in-memory file system.</summary>
public sealed class RegistryFileOverInMemoryFileSystemConformanceTests() : RegistryFileConformanceTests(new InMemoryFileSystem());
