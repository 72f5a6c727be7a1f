using Microsoft.AspNetCore.Http;

namespace Seq2Seq.Serving;

/// <summary>
/// RFC 9457 problem details for refused requests: a status, a sentence saying what is wrong and, where it
/// applies, the <c>field</c> at fault and the <c>limit</c> it broke, so a client can fix its request without
/// reading the server's logs.
/// </summary>
public static class Problems
{
    /// <summary>A 4xx answer naming <paramref name="field"/> (a JSON path such as <c>texts[3]</c>) and <paramref name="limit"/>.</summary>
    public static IResult Bad(string detail, string? field = null, object? limit = null, int status = StatusCodes.Status400BadRequest)
    {
        var extensions = new Dictionary<string, object?>();
        if (field is not null) extensions["field"] = field;
        if (limit is not null) extensions["limit"] = limit;
        return TypedResults.Problem(detail, statusCode: status, extensions: extensions);
    }

    /// <summary>A 503 answer telling the client to come back after <paramref name="retryAfterSeconds"/>.</summary>
    public static IResult Unavailable(HttpContext context, string detail, int retryAfterSeconds, object? limit = null)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Bad(detail, limit: limit, status: StatusCodes.Status503ServiceUnavailable);
    }
}
