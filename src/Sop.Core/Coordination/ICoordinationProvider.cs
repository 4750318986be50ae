namespace Sop.Coordination;

/// <summary>
/// Makes the coordinator of an engine when it opens a folder (clustered mode plugs Redis in here through
/// <see cref="Hosting.SopEngineOptions.Coordination"/>; none means <see cref="FileLockCoordinator"/>).
/// </summary>
public interface ICoordinationProvider
{
    /// <summary>Creates the coordinator for one engine on one folder; the engine disposes it when it closes.</summary>
    ICoordinator Create(CoordinationContext context);
}
