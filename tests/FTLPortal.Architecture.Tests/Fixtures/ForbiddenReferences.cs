using FTLPortal.Core.Security;
using FTLPortal.Federation.Agents;
using FTLPortal.Infrastructure.Hosting;
using FTLPortal.Learning.Tensors;
using Hangfire;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FTLPortal.Architecture.Tests.Fixtures;

/// <summary>
/// Deliberately names one type of every assembly family some layer rule forbids (or allows), so the self-tests can run
/// each rule on this test assembly and see it report (or accept) them.
/// </summary>
public sealed class ForbiddenReferences
{
    public PortalUserContext? Core { get; set; }

    public PortalPaths? Infrastructure { get; set; }

    public NamedTensor? Learning { get; set; }

    public IFederatedAgent? Federation { get; set; }

    public DbContext? EntityFramework { get; set; }

    public IdentityUser? Identity { get; set; }

    public IBackgroundJobClient? Hangfire { get; set; }

    public ILogger? Logging { get; set; }

    public IServiceCollection? DependencyInjection { get; set; }

    public ComponentBase? AspNetCore { get; set; }
}
