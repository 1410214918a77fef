using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace CodeGenLstm.Generators.Tests.Documentation;

/// <summary>
/// Writes the public surface of a type, found by reflection, as C# declarations, one line each, the way
/// docs/api.md lists them: <c>public static float MeanSquaredError(ReadOnlySpan&lt;float&gt; predictions, ...)</c>.
/// Type names are short (<c>Span&lt;float&gt;</c>, not <c>System.Span`1</c>), with C# keywords, <c>?</c> for
/// nullable values and annotated references, and defaults as literals (<c>1e-3f</c> is written <c>0.001f</c>).
/// Members the compiler synthesises for a record are left out: the record's declaration line says them.
/// </summary>
internal sealed class CSharpSignatures
{
    private readonly NullabilityInfoContext _nullability = new();

    /// <summary>The name written for the type's constructors and declaration (a generated model is listed as <c>Model</c>).</summary>
    public string? TypeNameOverride { get; init; }

    /// <summary>Write <c>public const int InputSize = ...</c> instead of the value (a generated model's sizes depend on the model).</summary>
    public bool ElideConstantValues { get; init; }

    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    // ---- Types ----

    public static bool IsRecord(Type type) =>
        type.GetMethod("PrintMembers", BindingFlags.NonPublic | BindingFlags.Instance, [typeof(System.Text.StringBuilder)]) is { } m
        && m.IsDefined(typeof(CompilerGeneratedAttribute));

    /// <summary>The positional parameters of a record: its constructor whose parameters match properties of the same names.</summary>
    private static ParameterInfo[]? PrimaryParameters(Type type)
    {
        if (!IsRecord(type)) return null;
        return type.GetConstructors()
            .Select(c => c.GetParameters())
            .Where(ps => ps.Length > 0 && ps.All(p => type.GetProperty(p.Name!, BindingFlags.Public | BindingFlags.Instance)?.PropertyType == p.ParameterType))
            .OrderByDescending(ps => ps.Length)
            .FirstOrDefault();
    }

    /// <summary>The type's declaration: <c>public sealed class Adam : IOptimizer</c>, <c>public enum Readout { EachStep, LastStep }</c>.</summary>
    public string Declaration(Type type)
    {
        string name = TypeNameOverride ?? TypeName(type, null);
        string access = type.IsPublic || type.IsNestedPublic ? "public " : "";
        if (type.IsEnum)
        {
            string[] names = Enum.GetNames(type);
            var values = Enum.GetValuesAsUnderlyingType(type).Cast<object>().Select(v => Convert.ToInt64(v, CultureInfo.InvariantCulture)).ToArray();
            bool sequential = values.Select((v, i) => v == i).All(b => b);
            string members = string.Join(", ", names.Select((n, i) => sequential ? n : $"{n} = {values[i]}"));
            return $"{access}enum {name} {{ {members} }}";
        }
        if (type.IsInterface)
            return $"{access}interface {name}{Bases(type, null)}";
        if (typeof(Delegate).IsAssignableFrom(type.BaseType))
        {
            MethodInfo invoke = type.GetMethod("Invoke")!;
            return $"{access}delegate {Return(invoke)} {name}({Parameters(invoke)})";
        }
        ParameterInfo[]? primary = PrimaryParameters(type);
        if (type.IsValueType)
        {
            string readOnly = type.IsDefined(typeof(IsReadOnlyAttribute)) ? "readonly " : "";
            return primary is null
                ? $"{access}{readOnly}struct {name}{Bases(type, null)}"
                : $"{access}{readOnly}record struct {name}({string.Join(", ", primary.Select(Parameter))}){Bases(type, null)}";
        }
        string modifiers = type.IsAbstract && type.IsSealed ? "static " : type.IsAbstract ? "abstract " : type.IsSealed ? "sealed " : "";
        return primary is null
            ? $"{access}{modifiers}class {name}{Bases(type, type.BaseType)}"
            : $"{access}{modifiers}record {name}({string.Join(", ", primary.Select(Parameter))}){Bases(type, type.BaseType)}";
    }

    /// <summary>" : Base, IInterface" for what the type itself adds (not what its base or its other interfaces bring).</summary>
    private string Bases(Type type, Type? baseType)
    {
        var list = new List<string>();
        if (baseType is not null && baseType != typeof(object) && baseType != typeof(ValueType))
            list.Add(TypeName(baseType, null));
        Type[] interfaces = type.GetInterfaces();
        var inherited = new HashSet<Type>(interfaces.SelectMany(i => i.GetInterfaces()));
        if (type.BaseType is not null) inherited.UnionWith(type.BaseType.GetInterfaces());
        foreach (Type i in interfaces)
        {
            if (inherited.Contains(i)) continue;
            if (IsRecord(type) && i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEquatable<>) && i.GetGenericArguments()[0] == type) continue;
            list.Add(TypeName(i, null));
        }
        return list.Count == 0 ? "" : " : " + string.Join(", ", list);
    }

    // ---- Members ----

    /// <summary>Every public (or protected) member's declaration, in metadata order; nested types are not included.</summary>
    public IReadOnlyList<string> Members(Type type)
    {
        var result = new List<string>();
        if (type.IsEnum || typeof(Delegate).IsAssignableFrom(type.BaseType)) return result;
        bool isRecord = IsRecord(type);
        ParameterInfo[]? primary = PrimaryParameters(type);
        var positional = new HashSet<string>(primary?.Select(p => p.Name!) ?? [], StringComparer.Ordinal);
        foreach (MemberInfo member in type.GetMembers(Declared))
        {
            if (isRecord && member.IsDefined(typeof(CompilerGeneratedAttribute))) continue;
            switch (member)
            {
                case ConstructorInfo c when Visible(c) && !c.IsStatic:
                    var ps = c.GetParameters();
                    if (primary is not null && ps.Select(p => p.ParameterType).SequenceEqual(primary.Select(p => p.ParameterType))) continue;
                    if (isRecord && ps.Length == 1 && ps[0].ParameterType == type) continue;   // the copy constructor
                    result.Add($"{Access(c)}{TypeNameOverride ?? type.Name}({Parameters(c)})");
                    break;
                case MethodInfo m when Visible(m) && !m.IsSpecialName:
                    result.Add(Method(type, m));
                    break;
                case MethodInfo m when Visible(m) && m.IsSpecialName && (m.Name.StartsWith("op_", StringComparison.Ordinal)):
                    result.Add($"{Access(m)}static {Return(m)} operator {m.Name[3..]}({Parameters(m)})");
                    break;
                case PropertyInfo p when Accessors(p).Length > 0 && !(positional.Contains(p.Name) && isRecord):
                    result.Add(Property(type, p));
                    break;
                case FieldInfo f when Visible(f):
                    result.Add(Field(f));
                    break;
                case EventInfo e when e.AddMethod is { } add && Visible(add):
                    result.Add($"{Access(add)}{(add.IsStatic ? "static " : "")}event {TypeName(e.EventHandlerType!, null)} {e.Name}");
                    break;
            }
        }
        return result;
    }

    private static bool Visible(MethodBase m) => m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly;
    private static bool Visible(FieldInfo f) => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly;

    private static string Access(MethodBase m) =>
        m.DeclaringType!.IsInterface ? "" : m.IsPublic ? "public " : "protected ";

    private string Method(Type type, MethodInfo m)
    {
        string modifiers = "";
        if (!type.IsInterface)
        {
            if (m.IsStatic) modifiers = "static ";
            else if (m.IsAbstract) modifiers = "abstract ";
            else if (m.IsVirtual && m.GetBaseDefinition().DeclaringType != m.DeclaringType) modifiers = m.IsFinal ? "sealed override " : "override ";
            else if (m.IsVirtual && !m.IsFinal) modifiers = "virtual ";
        }
        string generic = m.IsGenericMethodDefinition ? "<" + string.Join(", ", m.GetGenericArguments().Select(a => a.Name)) + ">" : "";
        string self = m.IsDefined(typeof(ExtensionAttribute)) ? "this " : "";
        return $"{Access(m)}{modifiers}{Return(m)} {m.Name}{generic}({self}{Parameters(m)})";
    }

    private static MethodInfo[] Accessors(PropertyInfo p) =>
        new[] { p.GetMethod, p.SetMethod }.Where(a => a is not null && Visible(a)).Cast<MethodInfo>().ToArray();

    private string Property(Type type, PropertyInfo p)
    {
        MethodInfo first = Accessors(p)[0];
        string modifiers = type.IsInterface ? "" : first.IsStatic ? "static " : first.IsAbstract ? "abstract " : "";
        string accessors = "get; ";
        if (p.GetMethod is null || !Visible(p.GetMethod)) accessors = "";
        if (p.SetMethod is { } set && Visible(set))
        {
            bool init = set.ReturnParameter.GetRequiredCustomModifiers().Any(t => t.FullName == "System.Runtime.CompilerServices.IsExternalInit");
            accessors += init ? "init; " : "set; ";
        }
        string type_ = TypeName(p.PropertyType, _nullability.Create(p));
        ParameterInfo[] index = p.GetIndexParameters();
        string name = index.Length == 0 ? p.Name : $"this[{string.Join(", ", index.Select(Parameter))}]";
        return $"{Access(first)}{modifiers}{type_} {name} {{ {accessors}}}";
    }

    private string Field(FieldInfo f)
    {
        string access = f.IsPublic ? "public " : "protected ";
        string type = TypeName(f.FieldType, _nullability.Create(f));
        if (f.IsLiteral)
            return $"{access}const {type} {f.Name} = {(ElideConstantValues ? "..." : Literal(f.GetRawConstantValue(), f.FieldType))}";
        string modifiers = (f.IsStatic ? "static " : "") + (f.IsInitOnly ? "readonly " : "");
        return $"{access}{modifiers}{type} {f.Name}";
    }

    private string Return(MethodInfo m) => TypeName(m.ReturnType, _nullability.Create(m.ReturnParameter));

    private string Parameters(MethodBase m) => string.Join(", ", m.GetParameters().Select(Parameter));

    private string Parameter(ParameterInfo p)
    {
        Type type = p.ParameterType;
        string modifier = "";
        if (type.IsByRef)
        {
            type = type.GetElementType()!;
            modifier = p.IsOut ? "out " : p.IsIn ? "in " : "ref ";
        }
        if (p.IsDefined(typeof(ParamArrayAttribute))) modifier = "params ";
        string text = $"{modifier}{TypeName(type, _nullability.Create(p))} {p.Name}";
        if (p.HasDefaultValue)
            text += " = " + Literal(p.RawDefaultValue, type);
        return text;
    }

    // ---- Names and literals ----

    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(void)] = "void", [typeof(bool)] = "bool", [typeof(byte)] = "byte", [typeof(sbyte)] = "sbyte",
        [typeof(short)] = "short", [typeof(ushort)] = "ushort", [typeof(int)] = "int", [typeof(uint)] = "uint",
        [typeof(long)] = "long", [typeof(ulong)] = "ulong", [typeof(float)] = "float", [typeof(double)] = "double",
        [typeof(decimal)] = "decimal", [typeof(char)] = "char", [typeof(string)] = "string", [typeof(object)] = "object",
        [typeof(nint)] = "nint", [typeof(nuint)] = "nuint",
    };

    /// <summary>A type as C# writes it; <paramref name="nullability"/> adds <c>?</c> to annotated references.</summary>
    public string TypeName(Type type, NullabilityInfo? nullability)
    {
        string nullable = nullability is { ReadState: NullabilityState.Nullable } && !type.IsValueType ? "?" : "";
        if (Keywords.TryGetValue(type, out string? keyword)) return keyword + nullable;
        if (Nullable.GetUnderlyingType(type) is { } underlying) return TypeName(underlying, null) + "?";
        if (type.IsArray)
            return TypeName(type.GetElementType()!, nullability?.ElementType) + "[" + new string(',', type.GetArrayRank() - 1) + "]" + nullable;
        if (type.IsGenericParameter) return type.Name + nullable;
        string name = type.Name;
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        if (tick >= 0) name = name[..tick];
        if (type.IsNested && !type.IsGenericParameter) name = TypeName(type.DeclaringType!, null) + "." + name;
        if (type.IsGenericType)
        {
            Type[] args = type.GetGenericArguments();
            NullabilityInfo[]? argInfo = nullability?.GenericTypeArguments;
            name += "<" + string.Join(", ", args.Select((a, i) => TypeName(a, argInfo is not null && i < argInfo.Length ? argInfo[i] : null))) + ">";
        }
        return name + nullable;
    }

    /// <summary>A default or constant value as a C# literal: <c>0.001f</c>, <c>1e-8f</c>, <c>-100</c>, <c>"adam.step"</c>, <c>default</c>.</summary>
    public static string Literal(object? value, Type type)
    {
        if (value is null || value is DBNull)
            return type.IsValueType && Nullable.GetUnderlyingType(type) is null ? "default" : "null";
        if (type.IsEnum)
        {
            string? member = Enum.GetName(type, value);
            return member is null ? $"({type.Name}){value}" : $"{type.Name}.{member}";
        }
        return value switch
        {
            bool b => b ? "true" : "false",
            string s => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
            char c => $"'{c}'",
            float f => Number(f.ToString("R", CultureInfo.InvariantCulture)) + "f",
            double d => DoubleLiteral(Number(d.ToString("R", CultureInfo.InvariantCulture))),
            long l => l.ToString(CultureInfo.InvariantCulture) + "L",
            ulong ul => ul.ToString(CultureInfo.InvariantCulture) + "UL",
            uint ui => ui.ToString(CultureInfo.InvariantCulture) + "U",
            IFormattable other => other.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString()!,
        };
    }

    /// <summary>"1E-08" as "1e-8", "0.001" as is.</summary>
    private static string Number(string text)
    {
        int e = text.IndexOfAny(['E', 'e']);
        if (e < 0) return text;
        string exponent = text[(e + 1)..].TrimStart('+');
        bool negative = exponent.StartsWith('-');
        exponent = exponent.TrimStart('-').TrimStart('0');
        return text[..e] + "e" + (negative ? "-" : "") + (exponent.Length == 0 ? "0" : exponent);
    }

    private static string DoubleLiteral(string text) =>
        text.Contains('.', StringComparison.Ordinal) || text.Contains('e', StringComparison.Ordinal) || text.Contains("Infinity", StringComparison.Ordinal) || text == "NaN"
            ? text
            : text + ".0";
}
