using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Seq2Seq.Serving;

namespace Seq2Seq.Tests.Serving;

/// <summary><c>seq2seq serve</c> running in the test process on 127.0.0.1 and a free port, with a client for it.</summary>
public sealed class TestService : IAsyncDisposable
{
    private TestService(WebApplication app, HttpClient client)
    {
        App = app;
        Client = client;
    }

    public WebApplication App { get; }
    public HttpClient Client { get; }
    public Uri Address => Client.BaseAddress!;
    public SearchWorker Worker => App.Services.GetRequiredService<SearchWorker>();
    public ServiceMetrics Metrics => App.Services.GetRequiredService<ServiceMetrics>();

    /// <summary>Starts the service on <paramref name="model"/> with <c>Serve</c> settings such as <c>("MaxQueuedRequests", "2")</c>, and waits until it is ready.</summary>
    public static Task<TestService> StartAsync(string model, params (string Key, string Value)[] settings) =>
        StartAsync(new ServeRequest(new DirectoryInfo(model), "http://127.0.0.1:0", "cpu", Threads: 1), settings);

    /// <summary>Starts the service for <paramref name="request"/> (its address is replaced by 127.0.0.1 and a free port).</summary>
    public static async Task<TestService> StartAsync(ServeRequest request, params (string Key, string Value)[] settings)
    {
        request = request with { Urls = "http://127.0.0.1:0" };
        var app = ServeHost.Build(request, config => config.AddInMemoryCollection(
            settings.Select(s => KeyValuePair.Create($"Serve:{s.Key}", (string?)s.Value))), NullLoggerProvider.Instance);
        await app.StartAsync();
        await app.Services.GetRequiredService<SearchWorker>().Loaded.WaitAsync(TimeSpan.FromMinutes(1));
        var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromMinutes(1) };
        return new TestService(app, client);
    }

    /// <summary>POSTs <paramref name="body"/> as JSON.</summary>
    public Task<HttpResponseMessage> PostAsync(string path, string body) =>
        Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    /// <summary>POSTs raw bytes with the given content type.</summary>
    public Task<HttpResponseMessage> PostBytesAsync(string path, byte[] body, string? contentType = "application/json")
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return Client.PostAsync(path, content);
    }

    /// <summary>The translations a translate request answers with, each as its compact JSON text.</summary>
    public async Task<List<string>> TranslateAsync(string body)
    {
        using var response = await PostAsync("/v1/translate", body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return Entries(text, "translations");
    }

    /// <summary>The entries of the array <paramref name="name"/> of a JSON answer, each as compact JSON text as translate writes lines.</summary>
    public static List<string> Entries(string answer, string name)
    {
        // The raw text of each entry as the service wrote it, never re-serialised: escaping must match the CLI's too.
        using var document = System.Text.Json.JsonDocument.Parse(answer);
        return [.. document.RootElement.GetProperty(name).EnumerateArray().Select(e => e.GetRawText())];
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        Worker.Dispose();
        await App.DisposeAsync();
    }
}
