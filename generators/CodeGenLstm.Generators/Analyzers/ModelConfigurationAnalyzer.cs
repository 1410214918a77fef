using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using CodeGenLstm.Generators.Diagnostics;
using CodeGenLstm.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CodeGenLstm.Generators.Analyzers;

/// <summary>
/// Reports CGL0xxx: declarations the generator cannot build, with the reason. The generator reports
/// nothing for such a class (it writes a placeholder, or nothing; see ModelParser.CanHoldPlaceholder);
/// this analyzer is where the user learns why.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ModelConfigurationAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        DiagnosticDescriptors.Configurations.Values.OrderBy(d => d.Id, StringComparer.Ordinal).ToImmutableArray();

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(AnalyzeType, SymbolKind.NamedType);
    }

    private static void AnalyzeType(SymbolAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (!type.GetAttributes().Any(a => ModelParser.IsLayerAttribute(a.AttributeClass) ||
                                           a.AttributeClass is { Name: "TrainingAttribute", ContainingNamespace.Name: ModelParser.Namespace }))
            return;

        ModelDeclaration declaration = ModelParser.Parse(type, context.CancellationToken);
        foreach (ModelProblem problem in declaration.Problems)
        {
            DiagnosticDescriptor descriptor = DiagnosticDescriptors.Configurations[problem.Id];
            Location location = ProblemLocation.Of(problem.Attribute, problem.ArgumentName, type, context.CancellationToken);
            context.ReportDiagnostic(Diagnostic.Create(descriptor, location, problem.MessageArgs.Select(Invariant).ToArray()));
        }
    }

    private static object Invariant(object argument) =>
        argument is IFormattable formattable ? formattable.ToString(null, CultureInfo.InvariantCulture) : argument;
}

/// <summary>Where to put a diagnostic about an attribute: on the argument to blame when there is one.</summary>
internal static class ProblemLocation
{
    public static Location Of(AttributeData? attribute, string? argumentName, ISymbol fallback, CancellationToken cancellationToken)
    {
        if (attribute?.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax)
            return fallback.Locations.FirstOrDefault() ?? Location.None;
        if (argumentName is not null && syntax.ArgumentList is { } list)
        {
            foreach (AttributeArgumentSyntax argument in list.Arguments)
            {
                string? name = argument.NameEquals?.Name.Identifier.ValueText ?? argument.NameColon?.Name.Identifier.ValueText;
                if (name == argumentName) return argument.GetLocation();
            }
            // A positional constructor argument: find it by the parameter's position.
            if (attribute.AttributeConstructor is { } constructor)
            {
                int position = constructor.Parameters.IndexOf(constructor.Parameters.FirstOrDefault(p => p.Name == argumentName)!);
                var positional = list.Arguments.Where(a => a.NameEquals is null && a.NameColon is null).ToList();
                if (position >= 0 && position < positional.Count) return positional[position].GetLocation();
            }
        }
        return syntax.GetLocation();
    }
}
