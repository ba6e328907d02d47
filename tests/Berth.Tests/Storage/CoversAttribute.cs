namespace Berth.Tests.Storage;

/// <summary>
/// Marks a shared-suite test as covering one method of a storage port, so a test can check that no method of any
/// port is left without a contract test a second backend must pass.
/// </summary>
/// <typeparam name="TPort">The storage interface (for example <c>IImageStore</c>).</typeparam>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class CoversAttribute<TPort>(string method) : Attribute
{
    /// <summary>The interface method's name, as <c>nameof(IImageStore.PutImageAsync)</c>.</summary>
    public string Method { get; } = method;

    public Type Port => typeof(TPort);
}
