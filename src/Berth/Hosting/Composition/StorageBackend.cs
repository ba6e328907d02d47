namespace Berth.Hosting.Composition;

/// <summary>A storage backend Berth can run on: the type name that selects it and how it registers its ports.</summary>
/// <param name="Type">The value of <c>Berth:Storage:Metadata:Type</c> or <c>Berth:Storage:Blobs:Type</c> that selects it.</param>
/// <param name="Section">Its own settings' section under the kind's, such as <c>Sqlite</c> in <c>Berth:Storage:Metadata:Sqlite</c>.</param>
/// <param name="Register">Adds its ports (and whatever they need) to the services, given its own section.</param>
public sealed record StorageBackend(string Type, string Section, Action<IServiceCollection, IConfigurationSection> Register);
