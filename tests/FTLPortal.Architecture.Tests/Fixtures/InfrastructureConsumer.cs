using FTLPortal.Infrastructure.Hosting;

namespace FTLPortal.Architecture.Tests.Fixtures;

/// <summary>Not a component (like an endpoint or Program): it may use Infrastructure, and the component rule must not report it.</summary>
public static class InfrastructureConsumer
{
    public static long Limit() => new PortalOptions().MaxUploadBytes;
}
