package runtime

import (
	"fmt"
	"maps"
	"reflect"
	"sync/atomic"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
	"github.com/kstar-dev/kstar/frontend"
)

// loweredHelpers are the predeclared functions that lowered Python
// statements and operators call (besides the try helpers): star targets,
// identity comparison, del of items and slices, and the cells of global
// and nonlocal variables (also of names that := binds or del unbinds);
// globals() shows the variables in cells as plain ones.
var loweredHelpers = starlark.StringDict{
	frontend.UnpackFunc:     py.Func(frontend.UnpackFunc, unpackStarred),
	frontend.IsFunc:         py.Func(frontend.IsFunc, isSame),
	frontend.DelItemFunc:    py.Func(frontend.DelItemFunc, delItem),
	frontend.DelSliceFunc:   py.Func(frontend.DelSliceFunc, delSlice),
	frontend.SetCellFunc:    py.Func(frontend.SetCellFunc, setCell),
	frontend.DelCellFunc:    py.Func(frontend.DelCellFunc, delCell),
	frontend.UnbindFunc:     py.Func(frontend.UnbindFunc, delCell),
	"globals":               py.Func("globals", scriptGlobals),
	frontend.TupleEqFunc:    py.Func(frontend.TupleEqFunc, tupleEqual),
	frontend.MatchSeqFunc:   py.Func(frontend.MatchSeqFunc, matchSequence),
	frontend.MatchMapFunc:   py.Func(frontend.MatchMapFunc, matchMapping),
	frontend.MatchClassFunc: py.Func(frontend.MatchClassFunc, matchClass),
	frontend.CellFunc: py.Func(frontend.CellFunc, func(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
		var name string
		var kind int
		if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &name, &kind); err != nil {
			return nil, err
		}
		c := &cell{name: name, global: kind == 1, classBody: kind == 2}
		if globals, ok := thread.Local(sessionGlobalsKey).(starlark.StringDict); ok && c.global {
			c.v = globals[name] // the session's global of an earlier chunk
		}
		return c, nil
	}),
}

// cell holds a variable that functions rebind with global or nonlocal
// (frontend/lower_scopes.go): its field v is the variable. A class
// body's cell holds a name of the class's namespace (frontend/lower_class.go);
// the class gets its value if it is bound when the body ends (py.Cell).
type cell struct {
	name      string
	v         starlark.Value // nil until assigned
	frozen    bool
	global    bool
	classBody bool
	boundAt   uint64 // a class body's: when it was last bound (py.Cell)
}

// classBodyBindings counts the bindings of class bodies' cells, for
// their BoundAt.
var classBodyBindings atomic.Uint64

// sessionGlobalsKey is the thread-local key of a Session's globals while
// it runs a chunk. A chunk keeps a global that a try or a global
// statement binds in a cell; the cell starts with the global's value
// from earlier chunks, and the global takes the cell's value after the
// chunk (exportCells), for the chunks that follow.
const sessionGlobalsKey = "kstar.session_globals"

// exportCells sets each global that lives in a cell of globals to the
// cell's value, and drops the cells and the other globals the lowering
// made (the code of the chunk or module that made them keeps them):
// after a REPL chunk, and for the globals a loaded script or module
// shows.
func exportCells(globals starlark.StringDict) {
	for name, v := range globals {
		if c, ok := v.(*cell); ok && c.global {
			if c.v != nil {
				globals[c.name] = c.v
			} else {
				delete(globals, c.name) // del NAME, of a global an earlier chunk bound
			}
			delete(globals, name)
		} else if frontend.IsGenerated(name) {
			delete(globals, name)
		}
	}
}

var (
	_ starlark.HasSetField = (*cell)(nil)
	_ py.Cell              = (*cell)(nil)
)

// Value is the variable's value, nil when it is unbound.
func (c *cell) Value() starlark.Value { return c.v }

// BoundAt orders the bindings of class bodies' cells (py.Cell).
func (c *cell) BoundAt() uint64 { return c.boundAt }

func (c *cell) String() string        { return "<cell " + c.name + ">" }
func (c *cell) Type() string          { return "cell" }
func (c *cell) Freeze()               { c.frozen = true; freezeValue(c.v) }
func (c *cell) Truth() starlark.Bool  { return true }
func (c *cell) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable: cell") }
func (c *cell) AttrNames() []string   { return []string{"bound", "v"} }

// Attr is the variable's value (v) or whether it is bound (bound: a class
// body reads the global of a name it has not bound, frontend/lower_class.go).
func (c *cell) Attr(name string) (starlark.Value, error) {
	switch name {
	case "bound":
		return starlark.Bool(c.v != nil), nil
	case "v":
	default:
		return nil, nil
	}
	if c.v == nil {
		if !c.global && !c.classBody {
			return nil, py.Errorf(py.UnboundLocalError, "cannot access local variable '%s' where it is not associated with a value", c.name)
		}
		return nil, py.Errorf(py.NameError, "name '%s' is not defined", c.name)
	}
	return c.v, nil
}

func (c *cell) SetField(name string, v starlark.Value) error {
	if name != "v" {
		return fmt.Errorf("cell has no .%s field", name)
	}
	if c.frozen {
		return fmt.Errorf("cannot assign to global %s: globals are frozen once the script is loaded", c.name)
	}
	if c.classBody && c.v == nil {
		c.boundAt = classBodyBindings.Add(1)
	}
	c.v = v
	return nil
}

// scriptGlobals is globals(): a copy of the module's variables, those
// that live in cells with their values, without the variables the
// lowering makes.
func scriptGlobals(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	fn, ok := thread.DebugFrame(1).Callable().(*starlark.Function)
	if !ok {
		return starlark.NewDict(0), nil
	}
	globals := maps.Clone(fn.Globals())
	exportCells(globals)
	return py.GlobalsDict(globals), nil
}

// setCell is __setcell__(cell, value), NAME := value: it assigns the
// variable and returns the value.
func setCell(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var c *cell
	var v starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 2, &c, &v); err != nil {
		return nil, err
	}
	return v, c.SetField("v", v)
}

// delCell is __delcell__(cell), del NAME: it unbinds the variable, a
// NameError (UnboundLocalError in a function) when it is not bound. As
// __unbind__(cell[, result]), the end of an except clause that binds a
// name or a jump out of it, it unbinds the variable if it is bound and
// returns result (None without one).
func delCell(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var c *cell
	var result starlark.Value = starlark.None
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &c, &result); err != nil {
		return nil, err
	}
	if c.v == nil {
		if b.Name() == frontend.UnbindFunc {
			return result, nil
		}
		_, err := c.Attr("v")
		return nil, err
	}
	if c.frozen {
		return nil, fmt.Errorf("cannot delete global %s: globals are frozen once the script is loaded", c.name)
	}
	c.v = nil
	return result, nil
}

func freezeValue(v starlark.Value) {
	if v != nil {
		v.Freeze()
	}
}

// unpackStarred is __unpack__(iterable, before, after) for a target such
// as "a, *rest, z" (before 1, after 1): a tuple of the first before
// items, a list of the middle ones, and the last after items.
func unpackStarred(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var v starlark.Value
	var before, after int
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 3, &v, &before, &after); err != nil {
		return nil, err
	}
	switch v.(type) {
	case starlark.Iterable, starlark.String, py.Bytes:
	default:
		return nil, py.Errorf(py.TypeError, "cannot unpack non-iterable %s object", py.TypeName(v))
	}
	items, err := py.Elements(thread, v) // a str's characters, a bytes' ints
	if err != nil {
		return nil, err
	}
	if len(items) < before+after {
		return nil, py.Errorf(py.ValueError, "not enough values to unpack (expected at least %d, got %d)", before+after, len(items))
	}
	out := make(starlark.Tuple, 0, before+after+1)
	out = append(out, items[:before]...)
	out = append(out, starlark.NewList(append([]starlark.Value(nil), items[before:len(items)-after]...)))
	return append(out, items[len(items)-after:]...), nil
}

// isSame is __is__(x, y), Python's "x is y": the same object for lists,
// dicts, sets, functions and the other values Starlark keeps by
// reference; equal values of the same type for None, bools, numbers and
// strings (which CPython shares when they are small or constants).
func isSame(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x, y starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 2, &x, &y); err != nil {
		return nil, err
	}
	return starlark.Bool(same(x, y)), nil
}

func same(x, y starlark.Value) bool {
	vx, vy := reflect.ValueOf(x), reflect.ValueOf(y)
	if vx.Type() != vy.Type() {
		return false
	}
	switch vx.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return vx.Pointer() == vy.Pointer()
	case reflect.Slice: // a tuple: the same elements in the same memory
		return vx.Len() == vy.Len() && (vx.Len() == 0 || vx.Pointer() == vy.Pointer())
	}
	eq, err := starlark.Equal(x, y)
	return err == nil && eq
}

// delItem is __delitem__(x, key): del x[key] for dicts and lists.
func delItem(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x, key starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 2, &x, &key); err != nil {
		return nil, err
	}
	switch x := x.(type) {
	case *starlark.Dict:
		if _, found, err := x.Get(key); err != nil {
			return nil, err
		} else if !found {
			return nil, fmt.Errorf("key %v not in dict", key)
		}
		return popItem(thread, x, key)
	case *starlark.List:
		i, err := starlark.AsInt32(key)
		if err != nil {
			return nil, py.Errorf(py.TypeError, "list indices must be integers or slices, not %s", key.Type())
		}
		if i < 0 {
			i += x.Len()
		}
		if i < 0 || i >= x.Len() {
			return nil, py.Errorf(py.IndexError, "list assignment index out of range")
		}
		return popItem(thread, x, starlark.MakeInt(i))
	case py.ItemDeleter:
		return starlark.None, x.DelItem(thread, key)
	}
	return nil, py.Errorf(py.TypeError, "'%s' object doesn't support item deletion", x.Type())
}

// delSlice is __delslice__(x, lo, hi, step), del x[lo:hi:step] (None
// for a bound left out), for lists.
func delSlice(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x, lo, hi, step starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 4, &x, &lo, &hi, &step); err != nil {
		return nil, err
	}
	list, ok := x.(*starlark.List)
	if !ok {
		return nil, py.Errorf(py.TypeError, "'%s' object does not support item deletion", py.TypeName(x))
	}
	start, stop, stride, err := sliceIndices(list.Len(), lo, hi, step)
	if err != nil {
		return nil, err
	}
	deleted := func(i int) bool {
		if stride > 0 {
			return i >= start && i < stop && (i-start)%stride == 0
		}
		return i <= start && i > stop && (start-i)%(-stride) == 0
	}
	kept := make([]starlark.Value, 0, list.Len())
	for i := range list.Len() {
		if !deleted(i) {
			kept = append(kept, list.Index(i))
		}
	}
	if len(kept) == list.Len() {
		return starlark.None, nil
	}
	if err := list.Clear(); err != nil {
		return nil, err
	}
	for _, v := range kept {
		if err := list.Append(v); err != nil {
			return nil, err
		}
	}
	return starlark.None, nil
}

// sliceIndices are the start, stop and step that lo:hi:step selects
// from a sequence of n items, as Python's slice.indices computes them.
func sliceIndices(n int, lo, hi, step starlark.Value) (start, stop, stride int, err error) {
	index := func(v starlark.Value, def int) (int, error) {
		if v == starlark.None {
			return def, nil
		}
		i, err := starlark.AsInt32(v)
		if err != nil {
			if _, isInt := v.(starlark.Int); isInt { // beyond int32: clamped below
				if v.(starlark.Int).Sign() < 0 {
					return -n - 1, nil
				}
				return n + 1, nil
			}
			return 0, py.Errorf(py.TypeError, "slice indices must be integers or None or have an __index__ method")
		}
		return i, nil
	}
	if stride, err = index(step, 1); err != nil {
		return
	}
	if stride == 0 {
		return 0, 0, 0, py.Errorf(py.ValueError, "slice step cannot be zero")
	}
	first, last := 0, n // the bounds of the slice for a positive step
	if stride < 0 {
		first, last = n-1, -1
	}
	adjust := func(i int) int { // PySlice_AdjustIndices
		switch {
		case i < 0 && i+n >= 0:
			return i + n
		case i < 0:
			return min(0, last)
		case i >= n && stride < 0:
			return n - 1
		case i >= n:
			return n
		}
		return i
	}
	if start, err = index(lo, first); err != nil {
		return
	}
	if lo != starlark.None {
		start = adjust(start)
	}
	if stop, err = index(hi, last); err != nil {
		return
	}
	if hi != starlark.None {
		stop = adjust(stop)
	}
	return start, stop, stride, nil
}

// popItem calls x.pop(key), which checks that x is not frozen.
func popItem(thread *starlark.Thread, x starlark.HasAttrs, key starlark.Value) (starlark.Value, error) {
	pop, err := x.Attr("pop")
	if err != nil {
		return nil, err
	}
	if _, err := starlark.Call(thread, pop, starlark.Tuple{key}, nil); err != nil {
		return nil, err
	}
	return starlark.None, nil
}
