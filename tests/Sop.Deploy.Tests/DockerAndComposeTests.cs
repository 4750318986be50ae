using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Sop.Deploy.Tests;

/// <summary>The Dockerfiles and the compose file, checked without a container engine.</summary>
public sealed class DockerAndComposeTests
{
    private static string[] Lines(string dockerfile) =>
        File.ReadAllLines(Path.Combine(Manifests.DeployDirectory, "docker", dockerfile)).Where(l => !l.TrimStart().StartsWith('#')).ToArray();

    [Theory]
    [InlineData("Dockerfile.silo", "silo/Sop.Silo/Sop.Silo.csproj")]
    [InlineData("Dockerfile.client", "client/Sop.Client/Sop.Client.csproj")]
    public void Dockerfile_IsMultiStage_NonRoot_WithAHealthCheck(string dockerfile, string project)
    {
        var lines = Lines(dockerfile);
        var froms = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, froms.Count);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", froms[0]);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet:10.0", froms[1]);
        Assert.Contains(lines, l => l.Contains("dotnet publish " + project, StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(Manifests.DeployDirectory, "..", project)), $"the image builds {project}, which does not exist");
        Assert.Contains(lines, l => l.Trim() == "USER sop");
        Assert.Contains(lines, l => l.StartsWith("COPY --from=build", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("HEALTHCHECK", StringComparison.Ordinal) && l.Contains("/health", StringComparison.Ordinal));
        int user = Array.FindIndex(lines, l => l.Trim() == "USER sop");
        int runtime = Array.FindIndex(lines, l => l == froms[1]);
        Assert.True(user > runtime, "USER must be set in the runtime stage");
    }

    [Fact]
    public void SiloImage_KeepsItsDataInTheVolume()
    {
        var lines = Lines("Dockerfile.silo");
        Assert.Contains(lines, l => l.StartsWith("VOLUME", StringComparison.Ordinal) && l.Contains("/data", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("SOP__DATAPATH=/data", StringComparison.Ordinal));
    }

    [Fact]
    public void Compose_RedisSilosAndClient_ShareOneVolume_ClientOn5080_EnvironmentOnly()
    {
        var services = Manifests.Compose().Map("services");
        Assert.Equal(["client", "redis", "silo"], services.Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value!).Order(StringComparer.Ordinal));
        var silo = services.Map("silo");
        Assert.Equal("sopdata:/data", ((YamlScalarNode)silo.Seq("volumes").Single()).Value);
        Assert.False(silo.Has("ports"), "silos must publish no fixed host port, or --scale silo=N fails");
        Assert.False(silo.Has("container_name"), "a fixed container name prevents scaling");
        Assert.Equal("redis:6379", silo.Map("environment").Str("SOP__REDIS"));
        var client = services.Map("client");
        Assert.Equal("5080:8080", ((YamlScalarNode)client.Seq("ports").Single()).Value);
        Assert.Equal("redis:6379", client.Map("environment").Str("SOP__REDIS"));
        Assert.True(Manifests.Compose().Map("volumes").Has("sopdata"));
    }

    [Fact]
    public async Task Compose_PassesDockerComposeConfig()
    {
        var start = new ProcessStartInfo("docker-compose") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in new[] { "-f", Path.Combine(Manifests.DeployDirectory, "docker-compose.yml"), "config", "-q" }) start.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("docker-compose is not installed (./test.sh installs the Debian package)", e);
        }
        using (process)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await process.WaitForExitAsync(timeout.Token);
            string errors = await process.StandardError.ReadToEndAsync();
            Assert.True(process.ExitCode == 0, $"docker-compose config failed: {errors}");
        }
    }
}
