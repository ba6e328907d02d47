namespace Berth.Ecr.Model;

/// <summary>Why a request body was rejected: the wire error type (<c>__type</c>) and its message.</summary>
public readonly record struct ValidationFailure(string ErrorType, string Message);
