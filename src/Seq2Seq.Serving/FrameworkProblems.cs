using Microsoft.AspNetCore.Http;

namespace Seq2Seq.Serving;

/// <summary>
/// Adds a sentence of explanation to the problems ASP.NET Core writes itself (no such path, wrong method, a
/// body that is not JSON, an unexpected error), so every 4xx and 5xx body says what to do about it.
/// </summary>
public static class FrameworkProblems
{
    public static void Explain(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var request = context.HttpContext.Request;
        if (problem.Detail is not null) return;
        switch (problem.Status)
        {
            case StatusCodes.Status404NotFound:
                problem.Detail = $"there is nothing at {request.Path}; the API is described at {ServeHost.OpenApiPath}";
                break;
            case StatusCodes.Status405MethodNotAllowed:
                problem.Detail = $"{request.Method} is not allowed on {request.Path}; the API is described at {ServeHost.OpenApiPath}";
                break;
            case StatusCodes.Status415UnsupportedMediaType:
                problem.Detail = $"the body must be JSON (Content-Type: application/json), not '{request.ContentType}'";
                problem.Extensions["field"] = "Content-Type";
                break;
            case StatusCodes.Status500InternalServerError:
                problem.Detail = "the service failed on this request; the service log says why";
                break;
        }
    }
}
