package py

// PositionalArgsError is Python's error for a keyword-only function called
// with too many positional arguments.
func PositionalArgsError(fname string, params []string, got int) error {
	if got < len(params) {
		return Errorf(TypeError, "%s() missing %d required positional argument: '%s'", fname, len(params)-got, params[got])
	}
	s := "s"
	if len(params) == 1 {
		s = ""
	}
	return Errorf(TypeError, "%s() takes %d positional argument%s but %d were given", fname, len(params), s, got)
}
