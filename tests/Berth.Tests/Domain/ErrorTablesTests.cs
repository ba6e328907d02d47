using Berth.Domain;
using Berth.Ecr;
using Berth.Oci;

namespace Berth.Tests.Domain;

/// <summary>Every domain error code has a row in both protocol tables (the build enforces it; this shows the rows are sane).</summary>
public sealed class ErrorTablesTests
{
    public static TheoryData<ErrorCode> Codes() => [.. Enum.GetValues<ErrorCode>()];

    [Theory]
    [MemberData(nameof(Codes))]
    public void Every_code_has_an_ECR_error_shape_answered_as_a_400(ErrorCode code)
    {
        var error = EcrErrors.From(new DomainError(code, "message"));

        Assert.EndsWith("Exception", error.Type, StringComparison.Ordinal);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal("message", error.Message);
    }

    [Theory]
    [MemberData(nameof(Codes))]
    public void Every_code_has_an_OCI_code_and_a_client_error_status(ErrorCode code)
    {
        var error = OciErrors.From(new DomainError(code, "message"));

        Assert.Matches("^[A-Z_]+$", error.Code);
        Assert.InRange(error.StatusCode, 400, 499);
        Assert.Equal("message", error.Message);
    }

    [Fact]
    public void The_tables_keep_the_wire_answers_of_the_codes_clients_branch_on()
    {
        Assert.Equal("RepositoryNotFoundException", EcrErrors.TypeOf(ErrorCode.RepositoryNotFound));
        Assert.Equal("ImageTagAlreadyExistsException", EcrErrors.TypeOf(ErrorCode.ImageTagImmutable));
        Assert.Equal(OciErrorCode.NameUnknown, OciErrors.Map(ErrorCode.RepositoryNotFound));
        Assert.Equal(new OciErrorCode("BLOB_UPLOAD_INVALID", 416), OciErrors.Map(ErrorCode.UploadRangeInvalid));
        Assert.Equal(new OciErrorCode("MANIFEST_INVALID", 413), OciErrors.Map(ErrorCode.ManifestTooLarge));
    }

    [Fact]
    public void A_value_outside_the_enum_throws_rather_than_answering_a_made_up_error()
    {
        Assert.ThrowsAny<Exception>(() => EcrErrors.TypeOf((ErrorCode)999));
        Assert.ThrowsAny<Exception>(() => OciErrors.Map((ErrorCode)999));
    }
}
