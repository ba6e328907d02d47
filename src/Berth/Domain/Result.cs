namespace Berth.Domain;

/// <summary>Either a value or a <see cref="DomainError"/>; the domain never throws for expected outcomes.</summary>
public readonly struct Result<T>
{
    private readonly T? _value;

    private Result(T? value, DomainError? error)
    {
        _value = value;
        Error = error;
    }

    public DomainError? Error { get; }

    public bool IsSuccess => Error is null;

    public T Value => Error is null ? _value! : throw new InvalidOperationException($"Result holds an error: {Error.Message}");

    public static implicit operator Result<T>(T value) => new(value, null);

    /// <summary>Wraps a value whose static type is an interface (implicit conversions cannot take interfaces).</summary>
    public static Result<T> From(T value) => new(value, null);

    public static implicit operator Result<T>(DomainError error) => new(default, error);
}
