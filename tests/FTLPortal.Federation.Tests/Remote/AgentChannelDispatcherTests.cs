using System.Diagnostics;
using System.Text;
using System.Text.Json;
using FTLPortal.Federation.Agents;
using FTLPortal.Federation.Remote;
using FTLPortal.Federation.Tests.Support;
using FTLPortal.Learning.Data;
using FTLPortal.Learning.Summaries;

namespace FTLPortal.Federation.Tests.Remote;

/// <summary>The agent's side of the channel without a network: calls in, replies and faults out, relayed uploads on disk.</summary>
public sealed class AgentChannelDispatcherTests : IDisposable
{
    private static readonly SummaryOptions Summary = new() { EmbeddingDimension = 16 };
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task HandleAsync_RegistersAnUploadSentInPieces_AndRemovesThePieces()
    {
        var dispatcher = Dispatcher(1024);
        var csv = Encoding.UTF8.GetBytes("x1,x2,label\n0.1,1,a\n0.2,2,b\n0.3,3,a\n0.4,4,b\n0.5,5,a\n0.6,6,b\n");
        var upload = Guid.NewGuid().ToString("N");

        Assert.Null((await CallAsync(dispatcher, AgentChannel.UploadChunk, new UploadChunkCall(upload, 0, csv[..20]))).FaultKind);
        Assert.Null((await CallAsync(dispatcher, AgentChannel.UploadChunk, new UploadChunkCall(upload, 1, csv[20..]))).FaultKind);
        var reply = await CallAsync(dispatcher, AgentChannel.RegisterDomain, new RegisterDomainCall("d1", upload, new DomainUpload("label"), Summary));

        Assert.Null(reply.FaultKind);
        var summary = JsonSerializer.Deserialize<DomainSummary>(reply.Result!, FederationJson.Options)!;
        Assert.Equal(6, summary.Rows);
        Assert.Empty(Directory.EnumerateFiles(_temp.Sub("uploads")));
        Assert.True(File.Exists(_temp.Sub("agent/d1.csv")));
    }

    [Fact]
    public async Task HandleAsync_StopsAnUploadOneBytePastTheLimit_AndTheAgentRefusesIt_StoringNothing()
    {
        var dispatcher = Dispatcher(64);
        var upload = Guid.NewGuid().ToString("N");
        var big = Encoding.UTF8.GetBytes("x1,label\n" + string.Concat(Enumerable.Repeat("1,a\n", 1000)));

        await CallAsync(dispatcher, AgentChannel.UploadChunk, new UploadChunkCall(upload, 0, big));
        Assert.Equal(65, new FileInfo(_temp.Sub($"uploads/{upload}.part")).Length);
        var reply = await CallAsync(dispatcher, AgentChannel.RegisterDomain, new RegisterDomainCall("big", upload, new DomainUpload("label"), Summary));

        Assert.Equal(AgentFaults.DatasetFormat, reply.FaultKind);
        Assert.IsType<DatasetFormatException>(AgentFaults.ToException(reply.FaultKind!, reply.Fault, "acme"));
        Assert.Empty(Directory.EnumerateFiles(_temp.Sub("uploads")));
        Assert.Empty(Directory.EnumerateFiles(_temp.Sub("agent"), "*.csv"));
    }

    [Theory]
    [InlineData("../../escape")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("")]
    public async Task HandleAsync_RefusesAnUploadIdThatIsNot32LowerHexDigits_AsBadRequest(string uploadId)
    {
        var reply = await CallAsync(Dispatcher(1024), AgentChannel.UploadChunk, new UploadChunkCall(uploadId, 0, [1, 2, 3]));

        Assert.Equal(AgentFaults.BadRequest, reply.FaultKind);
        Assert.Empty(Directory.EnumerateFiles(_temp.Sub("uploads")));
    }

    [Fact]
    public async Task HandleAsync_AnswersDomainNotFound_WithTheAgentsMessage_AndAnUnknownMethodNotSupported()
    {
        var dispatcher = Dispatcher(1024);

        var missing = await CallAsync(dispatcher, AgentChannel.GetSummary, new DomainCall("nope", Summary));
        var unknown = await dispatcher.HandleAsync("ReadAllRows", "{}", CancellationToken.None);

        Assert.Equal(AgentFaults.DomainNotFound, missing.FaultKind);
        Assert.Contains("'nope'", missing.Fault, StringComparison.Ordinal);
        Assert.IsType<DomainNotFoundException>(AgentFaults.ToException(missing.FaultKind!, missing.Fault, "acme"));
        Assert.Equal(AgentFaults.NotSupported, unknown.FaultKind);
    }

    [Fact]
    public void ReplyFor_KeepsAnUnexpectedExceptionsMessageAtTheSite()
    {
        var reply = AgentFaults.ReplyFor(new IOException("/srv/partner/secret-folder/rows.csv is locked"));

        Assert.Equal(AgentFaults.Failed, reply.FaultKind);
        Assert.DoesNotContain("secret-folder", reply.Fault, StringComparison.Ordinal);
        Assert.Contains("IOException", reply.Fault, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(AgentFaults.ToException(reply.FaultKind!, reply.Fault, "acme"));
    }

    [Theory]
    [InlineData(new[] { "serve" }, "give --portal")]
    [InlineData(new[] { "serve", "--portal", "ftp://portal", "--data", "x" }, "give --portal")]
    [InlineData(new[] { "serve", "--portal", "http://127.0.0.1:1", "--data", "x" }, "FTL_AGENT_KEY")]
    public async Task Serve_ExitsWith2AndSaysWhatIsMissing_WithoutAPortalOrKey(string[] arguments, string expected)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FTLPortal.Agent.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove(AgentChannel.KeyVariable);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains(expected, await error, StringComparison.Ordinal);
    }

    private AgentChannelDispatcher Dispatcher(long maxUploadBytes) =>
        new(new InProcessAgent("acme", _temp.Sub("agent"), new InProcessAgentOptions { MaxUploadBytes = maxUploadBytes }), _temp.Sub("uploads"), maxUploadBytes);

    private static Task<AgentReply> CallAsync(AgentChannelDispatcher dispatcher, string method, object request) =>
        dispatcher.HandleAsync(method, JsonSerializer.Serialize(request, request.GetType(), FederationJson.Options), CancellationToken.None);
}
