package main

import (
	"sort"
	"strings"
	"unicode"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/runtime"
)

// configKeyed is implemented by constructors (KafkaProducer, ...) that can
// list their config keys, so completion inside KafkaProducer( offers them.
type configKeyed interface {
	ConfigKeyNames() []string
}

// completer completes global names, module members and attributes after a
// dot, and config keys inside a client constructor's parentheses.
type completer struct {
	session *runtime.Session
}

// Do implements readline.AutoCompleter.
func (c *completer) Do(line []rune, pos int) ([][]rune, int) {
	text := string(line[:pos])
	start := len(text)
	for start > 0 {
		r := rune(text[start-1])
		if r != '.' && r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		start--
	}
	word := text[start:]
	var candidates []string
	if dot := strings.LastIndexByte(word, '.'); dot >= 0 {
		candidates = c.attrs(word[:dot])
		word = word[dot+1:]
	} else {
		candidates = append(c.session.Globals(), c.session.Builtins()...)
		candidates = append(candidates, pythonKeywords...)
		if fn := openCall(text[:start]); fn != "" {
			if ck, ok := c.session.Lookup(fn).(configKeyed); ok {
				for _, k := range ck.ConfigKeyNames() {
					candidates = append(candidates, k+"=")
				}
			}
		}
	}
	var out [][]rune
	seen := map[string]bool{}
	sort.Strings(candidates)
	for _, cand := range candidates {
		if strings.HasPrefix(cand, word) && !seen[cand] && !strings.HasPrefix(cand, "__") {
			seen[cand] = true
			out = append(out, []rune(cand[len(word):]))
		}
	}
	return out, len([]rune(word))
}

var pythonKeywords = []string{"def", "for", "while", "if", "elif", "else", "return", "import", "from", "lambda", "None", "True", "False", "break", "continue", "pass"}

// attrs lists the attributes of a dotted global name (producer, json,
// kafka.errors).
func (c *completer) attrs(path string) []string {
	parts := strings.Split(path, ".")
	v := c.session.Lookup(parts[0])
	if v == nil {
		return nil
	}
	for _, p := range parts[1:] {
		ha, ok := v.(starlark.HasAttrs)
		if !ok {
			return nil
		}
		next, err := ha.Attr(p)
		if err != nil || next == nil {
			return nil
		}
		v = next
	}
	var names []string
	if ha, ok := v.(starlark.HasAttrs); ok {
		names = ha.AttrNames()
	}
	switch v.(type) {
	case starlark.String, py.Bytes:
		for m := range py.RewrittenMethods {
			names = append(names, m)
		}
	}
	return names
}

// openCall returns the name of the function whose argument list the cursor
// is in (KafkaProducer in "p = KafkaProducer(acks=1, "), or "".
func openCall(text string) string {
	depth := 0
	for i := len(text) - 1; i >= 0; i-- {
		switch text[i] {
		case ')':
			depth++
		case '(':
			if depth > 0 {
				depth--
				continue
			}
			end := i
			start := end
			for start > 0 && (text[start-1] == '_' || text[start-1] == '.' || unicode.IsLetter(rune(text[start-1])) || unicode.IsDigit(rune(text[start-1]))) {
				start--
			}
			name := text[start:end]
			if dot := strings.LastIndexByte(name, '.'); dot >= 0 {
				name = name[dot+1:]
			}
			return name
		}
	}
	return ""
}
