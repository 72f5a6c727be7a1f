using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Seq2Seq.Serving;

/// <summary>
/// Reads a JSON request body strictly, so every malformed request gets a 4xx naming what is wrong: wrong
/// media type (415), too many bytes (413), an empty body, bytes that are not UTF-8, text that is not JSON,
/// a body that is not an object, duplicate or unknown fields, missing required fields and values of the
/// wrong type (400).
/// </summary>
public static class RequestReader
{
    /// <summary>snake_case, no unknown or duplicate fields, required fields enforced, no nulls for non-nullable fields.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        MaxDepth = 16,
    };

    private static readonly JsonDocumentOptions Document = new() { MaxDepth = 16, AllowDuplicateProperties = false };

    /// <summary>The request body as <typeparamref name="T"/>, or the problem to answer with.</summary>
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpContext context, int maxBytes) where T : class
    {
        var request = context.Request;
        if (request.ContentType is { } type && !IsJson(type))
            return (null, Problems.Bad($"the body must be JSON (Content-Type: application/json), not '{type}'", "Content-Type", status: StatusCodes.Status415UnsupportedMediaType));
        if (request.ContentLength > maxBytes)
            return (null, TooLarge(maxBytes));
        byte[] body;
        try
        {
            body = await ReadBodyAsync(request.Body, maxBytes, context.RequestAborted);
        }
        catch (BodyTooLargeException)
        {
            return (null, TooLarge(maxBytes));
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own limits: body size, minimum data rate for slow senders, malformed chunks.
            return (null, e.StatusCode == StatusCodes.Status413PayloadTooLarge ? TooLarge(maxBytes) : Problems.Bad($"the body could not be read: {e.Message}", status: e.StatusCode));
        }
        if (body.Length == 0)
            return (null, Problems.Bad("the request body is empty; send a JSON object"));
        if (Utf8.ToUtf16(body, new char[body.Length], out int valid, out _, replaceInvalidSequences: false) != OperationStatus.Done)
            return (null, Problems.Bad($"the body is not valid UTF-8 (at byte {valid})"));
        try
        {
            using var document = JsonDocument.Parse(body, Document);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return (null, Problems.Bad($"the body must be a JSON object, not {Kind(document.RootElement.ValueKind)}"));
            return Deserialize<T>(document.RootElement);
        }
        catch (JsonException e)
        {
            return (null, Problems.Bad($"the body is not valid JSON ({Position(e)}): {FirstSentence(e.Message)}"));
        }
    }

    private static (T? Value, IResult? Problem) Deserialize<T>(JsonElement root) where T : class
    {
        try
        {
            var value = root.Deserialize<T>(Json);
            return value is null ? (null, Problems.Bad("the body must be a JSON object")) : (value, null);
        }
        catch (JsonException e)
        {
            string field = Field(e.Path);
            string message = e.Message;
            if (message.Contains("could not be mapped", StringComparison.Ordinal))
                return (null, Problems.Bad($"unknown field '{field}'", field));
            if (message.Contains("missing required properties", StringComparison.Ordinal))
            {
                var missing = System.Text.RegularExpressions.Regex.Match(message, "including: (.*)\\.");
                string names = missing.Success ? missing.Groups[1].Value.Replace("'", "", StringComparison.Ordinal) : field;
                return (null, Problems.Bad($"missing required field '{names}'", names));
            }
            if (message.Contains("null", StringComparison.OrdinalIgnoreCase))
                return (null, Problems.Bad($"field '{field}' must not be null", field));
            return (null, Problems.Bad($"field '{field}' has a value of the wrong type", field));
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException)
        {
            // Invalid UTF-16 escapes ("\ud800" alone) and numbers out of the type's range surface this way.
            return (null, Problems.Bad($"a value could not be read: {FirstSentence(e.Message)}"));
        }
    }

    private static async Task<byte[]> ReadBodyAsync(Stream body, int maxBytes, CancellationToken cancellation)
    {
        using var copy = new MemoryStream();
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer, cancellation)) > 0)
            {
                if (copy.Length + read > maxBytes) throw new BodyTooLargeException();
                copy.Write(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return copy.ToArray();
    }

    private static IResult TooLarge(int maxBytes) =>
        Problems.Bad($"the body is larger than {maxBytes} bytes (Serve:MaxBodyBytes)", "body", maxBytes, StatusCodes.Status413PayloadTooLarge);

    private static bool IsJson(string contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase))
        && (!media.Charset.HasValue || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    /// <summary>"$.texts[2]" → "texts[2]".</summary>
    private static string Field(string? path) => string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    private static string Position(JsonException e) =>
        e.LineNumber is long line ? $"line {line + 1}, byte {e.BytePositionInLine + 1}" : "at its end";

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Null => "null",
        _ => "a boolean",
    };

    private sealed class BodyTooLargeException : Exception;
}
