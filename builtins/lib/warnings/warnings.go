// Package warnings is kstar's warnings module, with CPython 3.11's
// filters and output:
//
//	warn(message, category=None, stacklevel=1, source=None)
//	simplefilter(action, category=Warning, lineno=0, append=False)
//	filterwarnings(action, message='', category=Warning, module='', lineno=0, append=False)
//	resetwarnings(), catch_warnings(*, record=False), filters
//
// A warning shown is written to stderr as CPython's formatwarning writes
// it ("t.py:3: UserWarning: msg" and the source line); by default each
// is shown once per location, and DeprecationWarning only when raised
// by __main__'s code. The filters and the registry of warnings shown
// belong to one execution.
package warnings

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/kstar-dev/kstar/builtins/py"
)

// filter is one entry of warnings.filters.
type filter struct {
	action   string
	message  *regexp.Regexp // nil: any
	msgText  string
	category *py.ExceptionClass
	module   *regexp.Regexp // nil: any
	modText  string
	lineno   int
}

// module is one execution's warnings state.
type module struct {
	filters []filter
	// shown are the warnings shown per location (the __warningregistry__
	// of CPython's modules), cleared when the filters change; once are
	// those of the "once" action.
	shown map[string]bool
	once  map[string]bool
	// record is where catch_warnings(record=True) collects warnings; nil:
	// they are printed.
	record *starlark.List
}

// defaultFilters are CPython 3.11's for a release build.
func defaultFilters() []filter {
	return []filter{
		{action: "default", category: py.DeprecationWarning, module: regexp.MustCompile(`^(?:__main__)`), modText: "__main__"},
		{action: "ignore", category: py.DeprecationWarning},
		{action: "ignore", category: py.PendingDeprecationWarning},
		{action: "ignore", category: py.ImportWarning},
		{action: "ignore", category: py.ResourceWarning},
	}
}

var actions = map[string]bool{"error": true, "ignore": true, "always": true, "default": true, "module": true, "once": true}

// New returns the warnings module of one execution.
func New(env *py.Env) starlark.Value {
	m := &module{filters: defaultFilters(), shown: map[string]bool{}, once: map[string]bool{}}
	return &starlarkstruct.Module{Name: "warnings", Members: starlark.StringDict{
		"warn":           py.Func("warn", m.warn),
		"simplefilter":   py.Func("simplefilter", m.simplefilter),
		"filterwarnings": py.Func("filterwarnings", m.filterwarnings),
		"resetwarnings": py.Func("resetwarnings", func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
			if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
				return nil, err
			}
			m.setFilters(nil)
			return starlark.None, nil
		}),
		"catch_warnings": py.Func("catch_warnings", m.catchWarnings),
	}}
}

// setFilters replaces the filters; the warnings shown so far may show
// again, as CPython's registries are cleared when the filters change.
func (m *module) setFilters(filters []filter) {
	m.filters = filters
	clear(m.shown)
}

// add puts f first (last with appendIt), once.
func (m *module) add(f filter, appendIt bool) {
	filters := make([]filter, 0, len(m.filters)+1)
	for _, g := range m.filters {
		if g.action == f.action && g.msgText == f.msgText && g.category == f.category && g.modText == f.modText && g.lineno == f.lineno {
			if appendIt {
				return
			}
			continue
		}
		filters = append(filters, g)
	}
	if appendIt {
		filters = append(filters, f)
	} else {
		filters = append([]filter{f}, filters...)
	}
	m.setFilters(filters)
}

// filterArgs checks the action and category shared by simplefilter and
// filterwarnings (which alone insists on a Warning subclass, as
// CPython's).
func filterArgs(action string, category starlark.Value, lineno int, warningOnly bool) (*py.ExceptionClass, error) {
	if !actions[action] {
		return nil, py.Errorf(py.AssertionError, "invalid action: %s", py.Repr(starlark.String(action)))
	}
	c, ok := category.(*py.ExceptionClass)
	if !ok {
		return nil, py.Errorf(py.TypeError, "category must be an exception class, not %s", py.Repr(category))
	}
	if warningOnly && !c.IsSubclass(py.Warning) {
		return nil, py.Errorf(py.AssertionError, "category must be a Warning subclass")
	}
	if lineno < 0 {
		return nil, py.Errorf(py.AssertionError, "lineno must be an int >= 0")
	}
	return c, nil
}

// simplefilter(action, category=Warning, lineno=0, append=False)
func (m *module) simplefilter(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var action string
	var category starlark.Value = py.Warning
	lineno, appendIt := 0, false
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "action", &action, "category?", &category, "lineno?", &lineno, "append?", &appendIt); err != nil {
		return nil, err
	}
	c, err := filterArgs(action, category, lineno, false)
	if err != nil {
		return nil, err
	}
	m.add(filter{action: action, category: c, lineno: lineno}, appendIt)
	return starlark.None, nil
}

// filterwarnings(action, message=”, category=Warning, module=”, lineno=0, append=False)
func (m *module) filterwarnings(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var action, message, modText string
	var category starlark.Value = py.Warning
	lineno, appendIt := 0, false
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "action", &action, "message?", &message, "category?", &category, "module?", &modText, "lineno?", &lineno, "append?", &appendIt); err != nil {
		return nil, err
	}
	c, err := filterArgs(action, category, lineno, true)
	if err != nil {
		return nil, err
	}
	f := filter{action: action, category: c, lineno: lineno, msgText: message, modText: modText}
	if message != "" {
		if f.message, err = regexp.Compile("(?i)^(?:" + message + ")"); err != nil {
			return nil, py.Errorf(py.ValueError, "filterwarnings: message %s: %v", py.Repr(starlark.String(message)), err)
		}
	}
	if modText != "" {
		if f.module, err = regexp.Compile("^(?:" + modText + ")"); err != nil {
			return nil, py.Errorf(py.ValueError, "filterwarnings: module %s: %v", py.Repr(starlark.String(modText)), err)
		}
	}
	m.add(f, appendIt)
	return starlark.None, nil
}

// warn(message, category=None, stacklevel=1, source=None)
func (m *module) warn(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var message, category, source starlark.Value = nil, starlark.None, starlark.None
	stacklevel := 1
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "message", &message, "category?", &category, "stacklevel?", &stacklevel, "source?", &source); err != nil {
		return nil, err
	}
	var exc *py.Exception
	if e, ok := message.(*py.Exception); ok && e.Class.IsSubclass(py.Warning) {
		exc = e
	} else {
		c := py.UserWarning
		if category != starlark.None {
			cc, ok := category.(*py.ExceptionClass)
			if !ok || !cc.IsSubclass(py.Warning) {
				return nil, py.Errorf(py.TypeError, "category must be a Warning subclass, not '%s'", py.TypeName(category))
			}
			c = cc
		}
		v, err := c.CallInternal(thread, starlark.Tuple{message}, nil)
		if err != nil {
			return nil, err
		}
		exc = v.(*py.Exception)
	}
	filename, lineno := "sys", 1
	frames := py.PythonFrames(thread.CallStack())
	if i := len(frames) - max(stacklevel, 1); i >= 0 {
		filename, lineno = frames[i].Pos.Filename(), int(frames[i].Pos.Line)
	}
	return starlark.None, m.warnAt(thread, exc, filename, lineno)
}

// moduleName is the __name__ of the module of a file: __main__ for the
// script the execution runs (any file, when the host named none).
func moduleName(in *py.Interp, filename string) string {
	switch filename {
	case in.MainFile:
		return "__main__"
	case "sys":
		return "sys"
	}
	if in.MainFile == "" {
		return "__main__"
	}
	name := strings.TrimSuffix(filename, path.Ext(filename))
	return strings.ReplaceAll(name, "/", ".")
}

// warnAt is CPython's warn_explicit: the first filter that matches
// decides what happens to the warning raised at filename:lineno.
func (m *module) warnAt(thread *starlark.Thread, exc *py.Exception, filename string, lineno int) error {
	in := py.InterpOf(thread)
	text := py.Str(exc)
	category := exc.Class
	mod := moduleName(in, filename)
	key := fmt.Sprintf("%s\x00%s\x00%p\x00%d", mod, text, category, lineno)
	if m.shown[key] {
		return nil
	}
	action := "default"
	for _, f := range m.filters {
		if (f.message == nil || f.message.MatchString(text)) && category.IsSubclass(f.category) &&
			(f.module == nil || f.module.MatchString(mod)) && (f.lineno == 0 || f.lineno == lineno) {
			action = f.action
			break
		}
	}
	switch action {
	case "ignore":
		return nil
	case "error":
		return exc
	case "once":
		m.shown[key] = true
		onceKey := fmt.Sprintf("%s\x00%p", text, category)
		if m.once[onceKey] {
			return nil
		}
		m.once[onceKey] = true
	case "module":
		m.shown[key] = true
		moduleKey := fmt.Sprintf("%s\x00%s\x00%p\x000", mod, text, category)
		if m.shown[moduleKey] {
			return nil
		}
		m.shown[moduleKey] = true
	case "default":
		m.shown[key] = true
	}
	if m.record != nil {
		return m.record.Append(&warningMessage{message: exc, filename: filename, lineno: lineno})
	}
	line := ""
	if in.SourceLine != nil {
		line = in.SourceLine(filename, lineno)
	}
	out := fmt.Sprintf("%s:%d: %s: %s\n", filename, lineno, category.ClassName, text)
	if s := strings.TrimSpace(line); s != "" {
		out += "  " + s + "\n"
	}
	_, err := fmt.Fprint(py.EnvOf(thread).Stderr, out)
	return err
}
