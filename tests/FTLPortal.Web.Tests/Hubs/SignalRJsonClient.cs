using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;

namespace FTLPortal.Web.Tests.Hubs;

/// <summary>
/// A minimal SignalR client speaking the JSON hub protocol over a WebSocket to the test server (the .NET SignalR client
/// package is not served here). Enough to hand-shake, invoke hub methods and collect the messages pushed to it.
/// </summary>
internal sealed class SignalRJsonClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private readonly WebSocket _socket;
    private readonly List<JsonElement> _received = [];
    private readonly StringBuilder _buffer = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private int _invocationId;

    private SignalRJsonClient(WebSocket socket)
    {
        _socket = socket;
        _reader = Task.Run(ReadLoop);
    }

    public static async Task<SignalRJsonClient> ConnectAsync(TestServer server, string path, string cookie)
    {
        var client = server.CreateWebSocketClient();
        client.ConfigureRequest = request => request.Headers.Cookie = cookie;
        var socket = await client.ConnectAsync(new Uri(server.BaseAddress, path.TrimStart('/')) is var u ? new UriBuilder(u) { Scheme = "ws" }.Uri : null!, CancellationToken.None);
        var connection = new SignalRJsonClient(socket);
        await connection.SendAsync(new { protocol = "json", version = 1 });
        // The server answers the handshake with an empty object (or an error).
        var handshake = await connection.WaitForAsync(m => m.ValueKind == JsonValueKind.Object && !m.TryGetProperty("type", out _), TimeSpan.FromSeconds(10));
        if (handshake.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException("Handshake refused: " + error.GetString());
        }

        return connection;
    }

    public JsonElement[] Messages
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Invokes a hub method and returns its completion message.</summary>
    public async Task<JsonElement> InvokeAsync(string target, params object[] arguments)
    {
        var id = Interlocked.Increment(ref _invocationId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await SendAsync(new { type = 1, invocationId = id, target, arguments });
        return await WaitForAsync(m => m.TryGetProperty("type", out var t) && t.GetInt32() == 3 && m.GetProperty("invocationId").GetString() == id, TimeSpan.FromSeconds(10));
    }

    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var found = Messages.FirstOrDefault(match);
            if (found.ValueKind != JsonValueKind.Undefined)
            {
                return found;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException("No matching SignalR message; received: " + string.Join(" | ", Messages.Select(m => m.GetRawText())));
    }

    private async Task SendAsync(object message)
    {
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(message) + RecordSeparator);
        await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
    }

    private async Task ReadLoop()
    {
        var chunk = new byte[16 * 1024];
        try
        {
            while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
            {
                var result = await _socket.ReceiveAsync(chunk, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                _buffer.Append(Encoding.UTF8.GetString(chunk, 0, result.Count));
                var text = _buffer.ToString();
                int separator;
                while ((separator = text.IndexOf(RecordSeparator, StringComparison.Ordinal)) >= 0)
                {
                    using var doc = JsonDocument.Parse(text[..separator]);
                    lock (_received)
                    {
                        _received.Add(doc.RootElement.Clone());
                    }

                    text = text[(separator + 1)..];
                }

                _buffer.Clear().Append(text);
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
        catch (WebSocketException)
        {
            // The server went away with the test host.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reader;
        }
        finally
        {
            _socket.Dispose();
            _stop.Dispose();
        }
    }
}
