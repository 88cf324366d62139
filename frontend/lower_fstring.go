package frontend

import (
	"strings"

	"go.starlark.net/syntax"

	"github.com/kstar-dev/kstar/frontend/pysyntax"
)

// An f-string becomes __fstring__(parts...): its text as str literals and
// each replacement field {x!c:spec} as __format__(x, "c", spec), where
// spec is a literal or, with nested fields, an __fstring__ call itself.
// The text of a debugging field f"{x=}" is a literal part before it. An
// f-string without fields is a plain literal.

func (l *lowerer) fstring(e *pysyntax.JoinedStr) syntax.Expr {
	pos := l.start(e)
	hasField := false
	for _, v := range e.Values {
		if _, ok := v.(*pysyntax.FormattedValue); ok {
			hasField = true
		}
	}
	if !hasField {
		var text strings.Builder
		for _, v := range e.Values {
			text.WriteString(v.(*pysyntax.Constant).Value.(string))
		}
		return strLiteral(text.String(), pos)
	}
	return l.call(fstringFunc, pos, l.last(e), l.fstringParts(e.Values, pos)...)
}

func (l *lowerer) fstringParts(values []pysyntax.Expr, pos syntax.Position) []syntax.Expr {
	args := make([]syntax.Expr, 0, len(values))
	for _, v := range values {
		switch v := v.(type) {
		case *pysyntax.Constant:
			args = append(args, strLiteral(v.Value.(string), pos))
		case *pysyntax.FormattedValue:
			args = append(args, l.formattedValue(v))
		}
	}
	return args
}

// formattedValue is __format__(value, conversion, spec) for one field.
func (l *lowerer) formattedValue(f *pysyntax.FormattedValue) syntax.Expr {
	open := l.fieldOpen(f.Value)
	x := l.expr(f.Value)
	end := syntax.End(x)
	conv := ""
	if f.Conversion >= 0 {
		conv = string(rune(f.Conversion))
	}
	var spec syntax.Expr
	switch {
	case f.FormatSpec == nil || len(f.FormatSpec.Values) == 0:
		spec = strLiteral("", end)
	case len(f.FormatSpec.Values) == 1:
		if c, ok := f.FormatSpec.Values[0].(*pysyntax.Constant); ok {
			spec = strLiteral(c.Value.(string), end)
			break
		}
		fallthrough
	default:
		spec = l.call(fstringFunc, end, end, l.fstringParts(f.FormatSpec.Values, end)...)
	}
	return l.call(formatFunc, open, end, x, strLiteral(conv, open), spec)
}

// fieldOpen is the position of the '{' that opens the field of value.
func (l *lowerer) fieldOpen(value pysyntax.Expr) syntax.Position {
	p := value.Span()
	i := l.offset(p.Lineno, p.ColOffset)
scan:
	for j := i - 1; j >= 0; j-- {
		switch l.src[j] {
		case ' ', '\t', '\n', '(':
		case '{':
			return l.posOf(j)
		default:
			break scan
		}
	}
	return l.posOf(i)
}
