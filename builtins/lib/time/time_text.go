package time

import (
	"time"

	"go.starlark.net/starlark"

	"github.com/kstar-dev/kstar/builtins/py"
)

// timeStrptime is time.strptime(string, format='%a %b %d %H:%M:%S %Y').
func timeStrptime(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	// CPython passes the arguments on to _strptime._strptime_time, whose
	// words the arity errors are.
	switch {
	case len(kwargs) > 0:
		return nil, py.Errorf(py.TypeError, "strptime() takes no keyword arguments")
	case len(args) == 0:
		return nil, py.Errorf(py.TypeError, "_strptime_time() missing 1 required positional argument: 'data_string'")
	case len(args) > 2:
		return nil, py.Errorf(py.TypeError, "_strptime_time() takes from 1 to 2 positional arguments but %d were given", len(args))
	}
	data, format := args[0], starlark.Value(starlark.String("%a %b %d %H:%M:%S %Y"))
	if len(args) == 2 {
		format = args[1]
	}
	for i, v := range []starlark.Value{data, format} {
		if _, ok := v.(starlark.String); !ok {
			// _strptime's words: arguments count from 0, the type is a class.
			return nil, py.Errorf(py.TypeError, "strptime() argument %d must be str, not <class '%s'>", i, py.TypeName(v))
		}
	}
	p, err := Strptime(string(data.(starlark.String)), string(format.(starlark.String)))
	if err != nil {
		return nil, err
	}
	return StructTimeType.Make(
		starlark.MakeInt(p.Year), starlark.MakeInt(p.Month), starlark.MakeInt(p.Day),
		starlark.MakeInt(p.Hour), starlark.MakeInt(p.Minute), starlark.MakeInt(p.Second),
		starlark.MakeInt(p.Weekday), starlark.MakeInt(p.YearDay), starlark.MakeInt(p.IsDST),
	), nil
}

// asctimeFormat is C's asctime layout: 'Thu Jan  1 00:00:00 1970'.
const asctimeFormat = "%a %b %e %H:%M:%S %Y"

// timeAsctime is time.asctime([t]): the struct_time t (now, local, when
// absent), its weekday taken from tm_wday as C's asctime does.
func timeAsctime(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var tv starlark.Value = starlark.None
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0, &tv); err != nil {
		return nil, err
	}
	if tv == starlark.None {
		return starlark.String(Strftime(asctimeFormat, time.Now())), nil
	}
	t, n, err := fromStructTime(b.Name(), tv)
	if err != nil {
		return nil, err
	}
	if err := checkStructTime(n); err != nil {
		return nil, err
	}
	day := timeShortDays[((n[6]%7+7)%7+1)%7]
	return starlark.String(day + Strftime(asctimeFormat[2:], t)), nil
}

// timeCtime is time.ctime([secs]): asctime(localtime(secs)).
func timeCtime(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	t, err := timeAt(b, args, kwargs)
	if err != nil {
		return nil, err
	}
	return starlark.String(Strftime(asctimeFormat, t.Local())), nil
}
