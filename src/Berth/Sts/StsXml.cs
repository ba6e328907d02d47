using System.Security;
using System.Security.Cryptography;
using System.Text;
using Berth.Domain.Auth;

namespace Berth.Sts;

/// <summary>STS's XML answers: GetCallerIdentityResponse and ErrorResponse, in STS's namespace.</summary>
public static class StsXml
{
    private const string Namespace = "https://sts.amazonaws.com/doc/2011-06-15/";
    private const string ContentType = "text/xml";

    public static Task WriteCallerIdentityAsync(HttpContext http, Principal principal)
    {
        var xml = $"""<GetCallerIdentityResponse xmlns="{Namespace}"><GetCallerIdentityResult><Arn>{SecurityElement.Escape(principal.Arn)}</Arn><UserId>{SecurityElement.Escape(UserIdOf(principal))}</UserId><Account>{principal.AccountId}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>{RequestId(http)}</RequestId></ResponseMetadata></GetCallerIdentityResponse>""";
        return WriteAsync(http, StatusCodes.Status200OK, xml);
    }

    public static Task WriteErrorAsync(HttpContext http, StsError error)
    {
        var xml = $"""<ErrorResponse xmlns="{Namespace}"><Error><Type>{error.Type}</Type><Code>{error.Code}</Code><Message>{SecurityElement.Escape(error.Message)}</Message></Error><RequestId>{RequestId(http)}</RequestId></ErrorResponse>""";
        return WriteAsync(http, error.StatusCode, xml);
    }

    /// <summary>
    /// IAM's unique id of the principal: the account id for a root; for a user, an <c>AIDA</c> id derived from its
    /// ARN (Berth keeps no separate ids, so a user deleted and created again keeps its id, unlike in IAM).
    /// </summary>
    public static string UserIdOf(Principal principal)
    {
        if (principal.Kind == PrincipalKind.Root)
        {
            return principal.AccountId;
        }

        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(principal.Arn));
        var id = new StringBuilder("AIDA", 21);
        for (var i = 0; i < 17; i++)
        {
            id.Append(Alphabet[hash[i] % Alphabet.Length]);
        }

        return id.ToString();
    }

    private static string RequestId(HttpContext http) => http.Response.Headers["x-amzn-RequestId"].ToString();

    private static async Task WriteAsync(HttpContext http, int status, string xml)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = ContentType;
        await http.Response.WriteAsync(xml, Encoding.UTF8, http.RequestAborted);
    }
}
