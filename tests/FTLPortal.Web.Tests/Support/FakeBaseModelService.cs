using FTLPortal.Core.BaseModels;
using FTLPortal.Core.Security;

namespace FTLPortal.Web.Tests.Support;

/// <summary>Base models in memory; visible to the roles that run science, as in the real service.</summary>
public sealed class FakeBaseModelService : IBaseModelService
{
    public List<BaseModel> Models { get; } = [];

    public Task<IReadOnlyList<BaseModel>> ListAsync(PortalUserContext user, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<BaseModel>>(user.CanRunScience ? Models.ToList() : []);

    public Task<BaseModel?> FindAsync(PortalUserContext user, Guid id, CancellationToken cancellationToken) =>
        Task.FromResult(user.CanRunScience ? Models.FirstOrDefault(m => m.Id == id) : null);

    public Task<byte[]?> ReadWeightsAsync(PortalUserContext user, Guid id, CancellationToken cancellationToken) =>
        Task.FromResult<byte[]?>(null);
}
