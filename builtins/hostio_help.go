package builtins

// help() entries of the host I/O and introspection builtins.
func init() {
	for key, h := range map[string]builtinHelp{
		"open":               {"file, mode='r', buffering=-1, encoding=None, errors=None, newline=None", "Open a file through the host's grant and return a file object (text or binary by mode)."},
		"input":              {"prompt=''", "Write prompt to stdout, read a line from stdin and return it without its newline; EOFError at the end."},
		"id":                 {"obj", "Return the identity of an object: an int unique among live objects."},
		"issubclass":         {"cls, class_or_tuple", "Return whether cls is derived from class_or_tuple (a class or a tuple of classes)."},
		"vars":               {"[object]", "Return the attributes of object as a dict (locals() without an argument)."},
		"globals":            {"", "Return a dict of the module's global variables (a copy)."},
		"locals":             {"", "Return a dict of the current scope's local variables (a copy)."},
		"os.getcwd":          {"", "Return the current working directory (the granted directory under runtime.WithFiles)."},
		"os.listdir":         {"path='.'", "Return the sorted names of the entries in the directory path."},
		"os.makedirs":        {"name, mode=0o777, exist_ok=False", "Create the directory name and any missing parents."},
		"os.path.join":       {"a, *p", "Join path components, as posixpath.join."},
		"os.path.split":      {"p", "Split p into (head, tail): tail is what follows the last slash."},
		"os.path.basename":   {"p", "Return the final component of p."},
		"os.path.dirname":    {"p", "Return the directory component of p."},
		"os.path.splitext":   {"p", "Split p into (root, ext), ext starting at the last dot of the final component."},
		"os.path.isabs":      {"p", "Return whether p is absolute."},
		"os.path.normpath":   {"p", "Collapse redundant separators and up-level references of p."},
		"os.path.abspath":    {"p", "Return the absolute, normalised form of p."},
		"os.path.expanduser": {"p", "Replace a leading ~ by the HOME environment variable."},
		"os.path.exists":     {"p", "Return whether p names an existing file or directory."},
		"os.path.isfile":     {"p", "Return whether p is an existing regular file."},
		"os.path.isdir":      {"p", "Return whether p is an existing directory."},
		"os.path.getsize":    {"p", "Return the size of the file p in bytes."},
	} {
		builtinHelps[key] = h
	}
}
