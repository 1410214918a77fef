using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CodeGenLstm.Generators.Analyzers;

/// <summary>
/// The value of a <c>steps</c> argument when the code states it: a compile-time constant (a literal, a
/// const field or local), or a local variable initialised with a constant and never written again in the
/// body that declares it (no assignment, ++/--, ref or out). Anything else (a parameter, a field, a value
/// computed at run time) is unknown.
/// </summary>
internal static class ConstantSteps
{
    public static int? Of(IOperation value, CancellationToken cancellationToken)
    {
        while (value is IConversionOperation conversion) value = conversion.Operand;
        if (value.ConstantValue is { HasValue: true, Value: int constant }) return constant;
        if (value is not ILocalReferenceOperation { Local: { IsConst: false, IsRef: false } local } || value.SemanticModel is not { } model)
            return null;
        if (local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is not VariableDeclaratorSyntax
            {
                Initializer.Value: { } initializer,
            } declarator)
            return null;
        if (declarator.SyntaxTree != model.SyntaxTree) return null;
        if (model.GetConstantValue(initializer, cancellationToken) is not { HasValue: true, Value: int initial }) return null;
        SyntaxNode? scope = declarator.FirstAncestorOrSelf<BlockSyntax>() ?? (SyntaxNode?)declarator.FirstAncestorOrSelf<CompilationUnitSyntax>();
        if (scope is null || WrittenAgain(scope, local, model, cancellationToken)) return null;
        return initial;
    }

    private static bool WrittenAgain(SyntaxNode scope, ILocalSymbol local, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (IdentifierNameSyntax name in scope.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (name.Identifier.ValueText != local.Name) continue;
            if (!SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, local)) continue;
            SyntaxNode parent = name.Parent!;
            bool written = parent switch
            {
                AssignmentExpressionSyntax assignment => assignment.Left == name,
                PrefixUnaryExpressionSyntax prefix => prefix.IsKind(SyntaxKind.PreIncrementExpression) || prefix.IsKind(SyntaxKind.PreDecrementExpression),
                PostfixUnaryExpressionSyntax => true,   // x++ and x-- (x! is not a write, but an int local never needs it)
                ArgumentSyntax argument => !argument.RefKindKeyword.IsKind(SyntaxKind.None),
                RefExpressionSyntax => true,
                _ => false,
            };
            if (written) return true;
        }
        return false;
    }
}
