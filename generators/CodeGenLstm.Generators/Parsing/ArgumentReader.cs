using System;
using Microsoft.CodeAnalysis;

namespace CodeGenLstm.Generators.Parsing;

/// <summary>
/// Reads an attribute's arguments by name, tolerating whatever a half-typed attribute holds: a value
/// of the wrong type or a missing one reads as the default, never as an exception. (Roslyn fills in
/// optional constructor parameters, so ConstructorArguments always has one entry per parameter.)
/// </summary>
internal readonly struct ArgumentReader
{
    private readonly AttributeData _attribute;

    public ArgumentReader(AttributeData attribute) => _attribute = attribute;

    public int Int(string parameter) => Constructor(parameter) is int value ? value : 0;

    public bool Bool(string parameter) => Constructor(parameter) is true;

    private object? Constructor(string parameter)
    {
        IMethodSymbol? constructor = _attribute.AttributeConstructor;
        if (constructor is null) return null;
        var arguments = _attribute.ConstructorArguments;
        for (int i = 0; i < constructor.Parameters.Length && i < arguments.Length; i++)
        {
            if (constructor.Parameters[i].Name == parameter && arguments[i].Kind != TypedConstantKind.Error)
                return arguments[i].Value;
        }
        return null;
    }

    /// <summary>A named property's value converted to <typeparamref name="T"/> (enums read as int), or default.</summary>
    public T? Named<T>(string property)
    {
        foreach (var pair in _attribute.NamedArguments)
        {
            if (pair.Key != property || pair.Value.Kind == TypedConstantKind.Error) continue;
            object? value = pair.Value.Value;
            Type target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
            if (value is null) return default;
            if (target.IsInstanceOfType(value)) return (T)value;
            if (target == typeof(int) && value is IConvertible && value.GetType().IsPrimitive)
            {
                try { return (T)(object)Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture); }
                catch (OverflowException) { return default; }
            }
            return default;
        }
        return default;
    }
}
