namespace DbAdapter.Core.Sql;

/// <summary>What a <see cref="SqlToken"/> is. Comments and whitespace never become tokens.</summary>
public enum SqlTokenKind
{
    /// <summary>An unquoted name or key word; <see cref="SqlToken.Value"/> is folded to lower case.</summary>
    Identifier,

    /// <summary>A double-quoted name; <see cref="SqlToken.Value"/> keeps its case, <c>""</c> undoubled.</summary>
    QuotedIdentifier,

    /// <summary>A string constant: <c>'...'</c>, <c>E'...'</c>, <c>B'...'</c>, <c>X'...'</c>, <c>N'...'</c>, <c>U&amp;'...'</c>.</summary>
    String,

    /// <summary>A dollar-quoted string (<c>$$...$$</c>, <c>$tag$...$tag$</c>); <see cref="SqlToken.Value"/> is the body.</summary>
    DollarString,

    /// <summary>A numeric constant.</summary>
    Number,

    /// <summary>A positional parameter (<c>$1</c>).</summary>
    Parameter,

    /// <summary>An operator (<c>=</c>, <c>&lt;&gt;</c>, <c>=&gt;</c>, <c>||</c>...).</summary>
    Operator,

    /// <summary>One of <c>( ) [ ] , ; . :</c> or <c>::</c>.</summary>
    Punctuation,

    /// <summary>A psql meta-command (<c>\connect db</c>) up to the end of its line.</summary>
    MetaCommand,
}
