package py

import "go.starlark.net/starlark"

// LookupSpecial is v's special method name (__enter__, __exit__...) as
// Python finds it for syntax such as with: on the class of a script
// class's instance, bound to it, never among the instance's own
// attributes nor through __getattr__; a Go value's attribute otherwise.
// It returns nil when v has none.
func LookupSpecial(v starlark.Value, name string) (starlark.Value, error) {
	o := objectOf(v)
	if o == nil {
		x, ok := v.(starlark.HasAttrs)
		if !ok {
			return nil, nil
		}
		return x.Attr(name)
	}
	a := o.class.resolve().attrs[name]
	if p, ok := a.v.(*Property); ok {
		return p.get(nil, o.face)
	}
	if a.owner != nil {
		return bindAttr(o.face, o.class, a.owner, a.v), nil
	}
	base := o.class.nativeBase()
	if base == nil {
		return nil, nil
	}
	part := o.face
	if _, isExc := base.native.(*ExceptionClass); !isExc {
		var err error
		if part, err = o.Part(nil); err != nil {
			return nil, err
		}
	}
	return nativeAttr(part, name)
}
