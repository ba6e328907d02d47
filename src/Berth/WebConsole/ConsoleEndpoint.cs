using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Berth.Domain;
using Berth.Domain.Auth;
using Berth.Domain.Lifecycle;
using Berth.Ecr;
using Berth.Hosting;

namespace Berth.WebConsole;

/// <summary>
/// The web console at <c>/console/</c>: its files, sign-in and sign-out, and a thin API over the ECR pipeline. Every
/// ECR action a browser takes is <c>POST /console/api/ecr/{Operation}</c> with the ECR JSON body, run by the
/// <see cref="EcrPipeline"/> as the session's principal, so it has exactly the API's validation, authorization, errors
/// and audit. Two reads the ECR API cannot answer (dry-run permission decisions, a lifecycle explanation of every
/// image) are authorized through the same pipeline.
/// </summary>
public static partial class ConsoleEndpoint
{
    public const string CookieName = "berth_console";

    /// <summary>The header a signed-in browser echoes its session's token in on every state-changing request.</summary>
    public const string CsrfHeader = "X-Berth-Csrf";

    /// <summary>The header naming the region a request acts in (the session's own when absent).</summary>
    public const string RegionHeader = "X-Berth-Region";

    private const string BasePath = "/console";
    private const int MaxBodyBytes = 1024 * 1024;
    private const int MaxActions = 64;

    // Only the console's own files run, style and connect to the same origin; nothing is framed or inlined.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder routes)
    {
        var services = routes.ServiceProvider;
        var handler = new Handler(
            services.GetRequiredService<ConsoleAssets>(),
            services.GetRequiredService<ConsoleSessions>(),
            services.GetRequiredService<AccessKeyService>(),
            services.GetRequiredService<EcrPipeline>(),
            services.GetRequiredService<LifecycleService>(),
            services.GetRequiredService<BerthOptions>());
        // Route templates ignore a trailing slash, so /console and /console/ are one route: the page's relative URLs
        // (js/app.js, api/…) need the slash.
        routes.MapGet(BasePath, http =>
        {
            if (!http.Request.Path.Value!.EndsWith('/'))
            {
                http.Response.Redirect(BasePath + "/", permanent: false);
                return Task.CompletedTask;
            }

            return handler.AssetAsync(http, "index.html");
        });
        routes.MapGet(BasePath + "/{**path}", http => handler.AssetAsync(http, (string)http.Request.RouteValues["path"]!));
        routes.MapPost(BasePath + "/api/session", handler.SignInAsync);
        routes.MapGet(BasePath + "/api/session", handler.SessionAsync);
        routes.MapDelete(BasePath + "/api/session", handler.SignOutAsync);
        routes.MapPost(BasePath + "/api/ecr/{operation}", handler.EcrAsync);
        routes.MapPost(BasePath + "/api/permissions", handler.PermissionsAsync);
        routes.MapPost(BasePath + "/api/lifecycle-explanation", handler.ExplainLifecycleAsync);
        return routes;
    }

    [GeneratedRegex(@"\A[a-z]{2}(-[a-z]+)+-[0-9]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();

    private sealed class Handler(
        ConsoleAssets assets,
        ConsoleSessions sessions,
        AccessKeyService keys,
        EcrPipeline pipeline,
        LifecycleService lifecycle,
        BerthOptions options)
    {
        public async Task AssetAsync(HttpContext http, string path)
        {
            Secure(http.Response);
            if (assets.Find(path) is not { } asset)
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            http.Response.Headers.ETag = asset.ETag;
            http.Response.Headers.CacheControl = "no-cache";
            if (http.Request.Headers.IfNoneMatch.ToString() == asset.ETag)
            {
                http.Response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }

            http.Response.ContentType = asset.ContentType;
            http.Response.ContentLength = asset.Bytes.Length;
            await http.Response.Body.WriteAsync(asset.Bytes, http.RequestAborted);
        }

        public async Task SignInAsync(HttpContext http)
        {
            Secure(http.Response);
            if (!IsSameOrigin(http.Request))
            {
                await FailAsync(http, 403, "AccessDeniedException", "The sign-in did not come from this console's page.");
                return;
            }

            if (await ReadAsync(http, ConsoleJsonContext.Default.SignInRequest) is not { } form)
            {
                return;
            }

            if (string.IsNullOrEmpty(form.AccessKeyId) || string.IsNullOrEmpty(form.SecretAccessKey) || form.AccessKeyId.Length > 128 || form.SecretAccessKey.Length > 128)
            {
                await FailAsync(http, 400, "InvalidParameterException", "Enter an access key id and its secret access key.");
                return;
            }

            Principal principal;
            string? keyId = null;
            if (options.Auth == AuthMode.None)
            {
                // As for the API in open mode: a 12-digit key id names the account, whose root acts; nothing is checked.
                var account = RepositoryArn.IsAccountId(form.AccessKeyId) ? form.AccessKeyId : options.AccountId;
                principal = Principal.Root(account, RepositoryArn.Partition(options.Region));
            }
            else if (await keys.VerifyAsync(form.AccessKeyId, form.SecretAccessKey, http.RequestAborted) is { } key)
            {
                principal = Principal.OfAccessKey(key, RepositoryArn.Partition(options.Region));
                keyId = key.AccessKeyId;
            }
            else
            {
                await FailAsync(http, 401, "UnrecognizedClientException", "The access key id or the secret access key is not right, or the key is not active.");
                return;
            }

            var session = sessions.Start(principal, keyId, options.Region);
            http.Response.Cookies.Append(CookieName, session.Id, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = http.Request.IsHttps,
                Path = BasePath + "/",
                IsEssential = true,
            });
            await WriteAsync(http, Describe(session), ConsoleJsonContext.Default.SessionResponse);
        }

        public async Task SessionAsync(HttpContext http)
        {
            if (await AuthenticateAsync(http, stateChanging: false) is { } session)
            {
                await WriteAsync(http, Describe(session), ConsoleJsonContext.Default.SessionResponse);
            }
        }

        public async Task SignOutAsync(HttpContext http)
        {
            if (await AuthenticateAsync(http, stateChanging: true) is not { } session)
            {
                return;
            }

            sessions.End(session.Id);
            http.Response.Cookies.Delete(CookieName, new CookieOptions { Path = BasePath + "/", HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps });
            http.Response.StatusCode = StatusCodes.Status204NoContent;
        }

        public async Task EcrAsync(HttpContext http)
        {
            if (await AuthenticateAsync(http, stateChanging: true) is not { } session || await ReadBodyAsync(http) is not { } body)
            {
                return;
            }

            await pipeline.HandleForCallerAsync(http, CallerOf(http, session), (string)http.Request.RouteValues["operation"]!, body);
        }

        public async Task PermissionsAsync(HttpContext http)
        {
            if (await AuthenticateAsync(http, stateChanging: true) is not { } session
                || await ReadAsync(http, ConsoleJsonContext.Default.PermissionsRequest) is not { } asked)
            {
                return;
            }

            var actions = asked.Actions ?? [];
            if (actions.Count is 0 or > MaxActions || !AllEcrActions(actions))
            {
                await FailAsync(http, 400, "InvalidParameterException", $"Name 1 to {MaxActions} actions, each ecr:<Operation>.");
                return;
            }

            var caller = CallerOf(http, session);
            if (ScopeOf(caller, asked.RegistryId) is not { } scope)
            {
                await FailAsync(http, 400, "InvalidParameterException", "registryId must be 12 digits.");
                return;
            }

            RegistryResource resource;
            if (asked.RepositoryName is null)
            {
                resource = RegistryResource.Of(scope);
            }
            else if (asked.RepositoryName == "*")
            {
                resource = RegistryResource.AllRepositories(scope);
            }
            else if (RepositoryNames.IsValid(asked.RepositoryName))
            {
                resource = RegistryResource.Of(scope.Repository(asked.RepositoryName));
            }
            else
            {
                await FailAsync(http, 400, "InvalidParameterException", "repositoryName is not a repository name.");
                return;
            }

            var allowed = await pipeline.DecideAsync(http, caller, actions, resource, http.RequestAborted);
            var decisions = new PermissionDecision[actions.Count];
            for (var i = 0; i < decisions.Length; i++)
            {
                decisions[i] = new PermissionDecision(actions[i], allowed[i], allowed[i] ? null : EcrError.AccessDenied(caller.PrincipalArn, actions[i], resource.Arn).Message);
            }

            await WriteAsync(http, new PermissionsResponse(resource.Arn, decisions), ConsoleJsonContext.Default.PermissionsResponse);
        }

        public async Task ExplainLifecycleAsync(HttpContext http)
        {
            if (await AuthenticateAsync(http, stateChanging: true) is not { } session
                || await ReadAsync(http, ConsoleJsonContext.Default.ExplainLifecycleRequest) is not { } asked)
            {
                return;
            }

            var caller = CallerOf(http, session);
            var limit = asked.MaxResults ?? 100;
            if (ScopeOf(caller, asked.RegistryId) is not { } scope || asked.RepositoryName is not { } name || !RepositoryNames.IsValid(name)
                || string.IsNullOrEmpty(asked.LifecyclePolicyText) || limit is < 1 or > 1000)
            {
                await FailAsync(http, 400, "InvalidParameterException", "Name a repository and a lifecycle policy text; maxResults is 1 to 1000 and registryId 12 digits.");
                return;
            }

            var repository = scope.Repository(name);
            // It shows what a preview shows, and more of it: whoever may start a preview may read it.
            var result = await pipeline.AuthorizeAndRunAsync(http, caller, "ecr:StartLifecyclePolicyPreview", RegistryResource.Of(repository), async () =>
            {
                var evaluation = await lifecycle.EvaluateTextAsync(repository, asked.LifecyclePolicyText, http.RequestAborted);
                if (!evaluation.IsSuccess)
                {
                    return evaluation.Error!;
                }

                var page = LifecycleExplanation.Page(evaluation.Value, asked.NextToken, limit);
                return page.IsSuccess ? EcrResult.Ok(Map(page.Value), ConsoleJsonContext.Default.ExplainLifecycleResponse) : page.Error!;
            });
            await WriteResultAsync(http, result);
        }

        private static ExplainLifecycleResponse Map(LifecycleExplanation explanation)
        {
            var images = new ExplainedImage[explanation.Items.Count];
            for (var i = 0; i < images.Length; i++)
            {
                var (image, decision) = (explanation.Items[i].Image, explanation.Items[i].Decision);
                images[i] = new ExplainedImage(
                    image.Digest,
                    image.Tags,
                    image.PushedAt,
                    image.LastPulledAt,
                    image.StorageClass == StorageClass.Archive ? "ARCHIVE" : "STANDARD",
                    decision.Outcome switch
                    {
                        LifecycleOutcome.Expire => "EXPIRE",
                        LifecycleOutcome.Transition => "TRANSITION",
                        _ => "KEEP",
                    },
                    decision.RulePriority,
                    decision.Reason,
                    image.SubjectDigest);
            }

            return new ExplainLifecycleResponse(explanation.EvaluatedAt, explanation.Images, explanation.Expiring, explanation.Transitioning, images, explanation.NextToken);
        }

        /// <summary>
        /// The request's live session, or null after answering 401 (none, expired, or its key no longer active) or 403
        /// (a state-changing request without the session's token, or from another origin).
        /// </summary>
        private async Task<ConsoleSession?> AuthenticateAsync(HttpContext http, bool stateChanging)
        {
            Secure(http.Response);
            var session = sessions.Find(http.Request.Cookies[CookieName]);
            if (session is not null && session.AccessKeyId is { } keyId && !await keys.IsActiveAsync(keyId, http.RequestAborted))
            {
                sessions.End(session.Id);
                session = null;
            }

            if (session is null)
            {
                await FailAsync(http, 401, "NotSignedIn", "Sign in: there is no session, or it has expired.");
                return null;
            }

            if (stateChanging && (!IsSameOrigin(http.Request) || !string.Equals(http.Request.Headers[CsrfHeader].ToString(), session.CsrfToken, StringComparison.Ordinal)))
            {
                await FailAsync(http, 403, "AccessDeniedException", "The request did not carry this session's console token.");
                return null;
            }

            return session;
        }

        private static EcrCaller CallerOf(HttpContext http, ConsoleSession session)
        {
            var asked = http.Request.Headers[RegionHeader].ToString();
            var region = asked.Length > 0 && RegionPattern().IsMatch(asked) ? asked : session.Region;
            return new EcrCaller(session.Principal, region, session.AccessKeyId);
        }

        private static RegistryScope? ScopeOf(EcrCaller caller, string? registryId) =>
            registryId is null ? new RegistryScope(caller.AccountId, caller.Region)
            : RepositoryArn.IsAccountId(registryId) ? new RegistryScope(registryId, caller.Region)
            : null;

        private static bool AllEcrActions(IReadOnlyList<string> actions)
        {
            foreach (var action in actions)
            {
                if (action is null || action.Length is < 5 or > 64 || !action.StartsWith("ecr:", StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }

        private static SessionResponse Describe(ConsoleSession session) => new(
            session.Principal.Arn, session.Principal.AccountId, session.Region, session.CsrfToken, ConsoleSessions.ExpiresAt(session), session.AccessKeyId);

        /// <summary>A browser names the page that sent a request; one from another site is refused whatever it carries.</summary>
        private static bool IsSameOrigin(HttpRequest request)
        {
            var origin = request.Headers.Origin.ToString();
            return origin.Length == 0 || string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
        }

        private static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpContext http)
        {
            RequestBody? read;
            try
            {
                read = await RequestBody.ReadAsync(http.Request, MaxBodyBytes, http.RequestAborted);
            }
            catch (Exception ex) when (MalformedBody.Is(ex))
            {
                await FailAsync(http, MalformedBody.StatusOf(ex), "SerializationException", "The request body could not be read.");
                return null;
            }

            if (read is null)
            {
                await FailAsync(http, 413, "SerializationException", $"The request body is larger than the maximum of {MaxBodyBytes} bytes.");
                return null;
            }

            using (read)
            {
                return read.Memory.ToArray();
            }
        }

        private static async Task<T?> ReadAsync<T>(HttpContext http, JsonTypeInfo<T> typeInfo)
            where T : class
        {
            if (await ReadBodyAsync(http) is not { } body)
            {
                return null;
            }

            try
            {
                if (JsonSerializer.Deserialize(body.Span, typeInfo) is { } value)
                {
                    return value;
                }
            }
            catch (JsonException)
            {
            }

            await FailAsync(http, 400, "SerializationException", "The request body is not the JSON this call takes.");
            return null;
        }

        private static Task WriteResultAsync(HttpContext http, EcrResult result)
        {
            if (result.Error is { } error)
            {
                return EcrPipeline.WriteErrorAsync(http, error);
            }

            http.Response.StatusCode = StatusCodes.Status200OK;
            return JsonBody.WriteAsync(http.Response, "application/json", result, static (writer, result) => result.WriteBody(writer), http.RequestAborted);
        }

        private static Task WriteAsync<T>(HttpContext http, T value, JsonTypeInfo<T> typeInfo) =>
            JsonBody.WriteAsync(http.Response, "application/json", (value, typeInfo), static (writer, state) => JsonSerializer.Serialize(writer, state.value, state.typeInfo), http.RequestAborted);

        private static Task FailAsync(HttpContext http, int status, string type, string message)
        {
            http.Response.StatusCode = status;
            http.Response.Headers["x-amzn-ErrorType"] = type;
            return WriteAsync(http, new ConsoleError(type, message), ConsoleJsonContext.Default.ConsoleError);
        }

        private static void Secure(HttpResponse response)
        {
            response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            response.Headers.XContentTypeOptions = "nosniff";
            response.Headers.XFrameOptions = "DENY";
            response.Headers["Referrer-Policy"] = "no-referrer";
        }
    }
}
