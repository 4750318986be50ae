using YamlDotNet.RepresentationModel;

namespace Sop.Deploy.Tests;

/// <summary>The Kubernetes manifests parse and carry what a horizontally scaled cluster needs (decisions.md 33).</summary>
public sealed class KubernetesManifestTests
{
    private static readonly string[] KnownVariables =
    [
        "SOP__REDIS", "SOP__CLUSTERID", "SOP__DATAPATH", "SOP__SILOPORT", "SOP__GATEWAYPORT", "SOP__ADVERTISEDIP", "SOP__WEB",
        "SOP__MULTIHOST", "SOP__APIKEY", "SOP__LLM__ENDPOINT", "SOP__LLM__MODEL", "SOP__LLM__APIKEY", "ASPNETCORE_URLS",
    ];

    [Fact]
    public void EveryDocument_HasApiVersionKindAndName_InTheSopNamespace()
    {
        var docs = Manifests.Kubernetes();
        Assert.True(docs.Count >= 9, $"only {docs.Count} documents");
        foreach (var doc in docs)
        {
            Assert.False(string.IsNullOrEmpty(doc.Str("apiVersion")));
            Assert.False(string.IsNullOrEmpty(doc.Str("kind")));
            var metadata = doc.Map("metadata");
            Assert.False(string.IsNullOrEmpty(metadata.Str("name")));
            if (doc.Str("kind") != "Namespace") Assert.Equal("sop", metadata.Str("namespace"));
        }
        Assert.Equal(
            ["ConfigMap", "Deployment", "HorizontalPodAutoscaler", "Namespace", "PersistentVolumeClaim", "Secret", "Service", "StatefulSet"],
            docs.Select(d => d.Str("kind")!).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Silos_AtLeastTwo_SpreadOverNodes_ProbedOnHealth_SharingTheDataClaim_AdvertisingThePodIp()
    {
        var silo = Manifests.Find("Deployment", "sop-silo");
        Assert.True(int.Parse(silo.At("spec").Str("replicas")!) >= 2);
        var pod = silo.At("spec.template.spec");
        var anti = pod.At("affinity.podAntiAffinity");
        Assert.True(anti.Has("preferredDuringSchedulingIgnoredDuringExecution") || anti.Has("requiredDuringSchedulingIgnoredDuringExecution"));
        Assert.Equal("true", pod.Map("securityContext").Str("runAsNonRoot"));
        var container = (YamlMappingNode)pod.Seq("containers").Single();
        Assert.Equal("/health", container.At("readinessProbe.httpGet").Str("path"));
        Assert.Equal("/health", container.At("livenessProbe.httpGet").Str("path"));
        Assert.Equal("/data", ((YamlMappingNode)container.Seq("volumeMounts").Single()).Str("mountPath"));
        string claim = ((YamlMappingNode)pod.Seq("volumes").Single()).Map("persistentVolumeClaim").Str("claimName")!;
        var pvc = Manifests.Find("PersistentVolumeClaim", claim);
        Assert.Equal("ReadWriteMany", ((YamlScalarNode)pvc.At("spec").Seq("accessModes").Single()).Value);
        var env = container.Seq("env").Cast<YamlMappingNode>().ToList();
        var advertised = env.Single(e => e.Str("name") == "SOP__ADVERTISEDIP");
        Assert.Equal("status.podIP", advertised.At("valueFrom.fieldRef").Str("fieldPath"));
        Assert.All(env, e => Assert.Contains(e.Str("name"), KnownVariables));
        Assert.Equal(["sop-config", "sop-secrets"], container.Seq("envFrom").Cast<YamlMappingNode>()
            .Select(f => (f.Has("configMapRef") ? f.Map("configMapRef") : f.Map("secretRef")).Str("name")!));
    }

    [Fact]
    public void Config_UsesOnlyDocumentedVariables_AndTheApiKeyIsASecret()
    {
        var config = Manifests.Find("ConfigMap", "sop-config").Map("data");
        Assert.All(config.Children.Keys.Cast<YamlScalarNode>(), k => Assert.Contains(k.Value, KnownVariables));
        Assert.Equal("redis.sop.svc.cluster.local:6379", config.Str("SOP__REDIS"));
        Assert.Equal("true", config.Str("SOP__MULTIHOST")); // pods on several nodes share the folder over NFS (decisions.md 17)
        var secret = Manifests.Find("Secret", "sop-secrets").Map("stringData");
        Assert.True(secret.Has("SOP__APIKEY"));
        Assert.False(config.Has("SOP__APIKEY"));
    }

    [Fact]
    public void Client_IsServedOnPort5080_AndProbed()
    {
        var service = Manifests.Find("Service", "sop-client");
        var port = (YamlMappingNode)service.At("spec").Seq("ports").Single();
        Assert.Equal("5080", port.Str("port"));
        var client = Manifests.Find("Deployment", "sop-client");
        Assert.Equal("sop-client", service.At("spec.selector").Str("app"));
        Assert.Equal("sop-client", client.At("spec.template.metadata.labels").Str("app"));
        var container = (YamlMappingNode)client.At("spec.template.spec").Seq("containers").Single();
        Assert.Equal("/health", container.At("readinessProbe.httpGet").Str("path"));
    }

    [Fact]
    public void Autoscaler_TargetsTheSiloDeployment_FromTwoReplicas()
    {
        var hpa = Manifests.Find("HorizontalPodAutoscaler", "sop-silo").Map("spec");
        Assert.Equal("Deployment", hpa.Map("scaleTargetRef").Str("kind"));
        Assert.Equal("sop-silo", hpa.Map("scaleTargetRef").Str("name"));
        Assert.True(int.Parse(hpa.Str("minReplicas")!) >= 2);
        Assert.True(int.Parse(hpa.Str("maxReplicas")!) > int.Parse(hpa.Str("minReplicas")!));
    }

    [Fact]
    public void Redis_NeverEvictsALock()
    {
        var redis = Manifests.Find("StatefulSet", "redis");
        var container = (YamlMappingNode)redis.At("spec.template.spec").Seq("containers").Single();
        var args = container.Seq("args").Cast<YamlScalarNode>().Select(a => a.Value).ToList();
        Assert.Equal("noeviction", args[args.IndexOf("--maxmemory-policy") + 1]);
    }
}
