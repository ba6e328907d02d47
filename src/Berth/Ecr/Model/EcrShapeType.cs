namespace Berth.Ecr.Model;

/// <summary>The botocore type of a shape, which fixes the JSON value a member accepts.</summary>
public enum EcrShapeType
{
    Structure,
    List,
    Map,
    String,
    Integer,
    Long,
    Float,
    Double,
    Boolean,
    Timestamp,
    Blob,
}
